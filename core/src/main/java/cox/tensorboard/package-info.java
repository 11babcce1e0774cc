/**
 * TensorBoard logs, as Python cox writes them through tensorboardX: {@link
 * cox.tensorboard.SummaryWriter} writes event files, {@link cox.tensorboard.EventFileReader}
 * reads them back.
 *
 * <p>An event file is a sequence of TFRecord-framed, CRC32C-checked {@code tensorboard.Event}
 * protobuf messages; the schema is cox4j's own subset of TensorBoard's (in
 * {@code src/main/proto}), compiled into {@code cox.tensorboard.proto}, which is internal and
 * not part of the API: readers get {@link cox.tensorboard.TensorBoardEvent} and
 * {@link cox.tensorboard.SummaryValue} records instead.
 */
package cox.tensorboard;
