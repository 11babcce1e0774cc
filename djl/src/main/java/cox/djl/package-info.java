/**
 * A Deep Java Library (DJL) training run logged as a cox run: {@link cox.djl.CoxTrainingListener},
 * added to DJL's {@code TrainingConfig} like DJL's own listeners, writes the run's settings, its
 * per-epoch (and optionally per-batch) metrics, TensorBoard scalars and the model's weights as a
 * PyTorch state dict into a {@link cox.store.Store}.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("runs"));
 *      Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
 *              .addTrainingListeners(TrainingListener.Defaults.basic())
 *              .addTrainingListeners(new CoxTrainingListener(store).param("seed", 7)))) {
 *     trainer.initialize(new Shape(1, 4));
 *     EasyTrain.fit(trainer, 3, train, validate);
 * }
 * }</pre>
 *
 * <p>DJL ({@code ai.djl:api}) is a {@code provided} dependency: the training program brings its
 * own DJL and engine; cox4j's core never needs DJL. The module uses core only through its
 * exported packages.
 */
package cox.djl;
