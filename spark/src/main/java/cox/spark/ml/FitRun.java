package cox.spark.ml;

import cox.store.Store;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The cox run ({@code STORAGE_FOLDER/EXP_ID/}) that {@link CoxMLListener} wrote for one Spark ML
 * fit, or for one parameter map of a tuning fit; hand it to
 * {@link CoxML#logMetrics(FitRun, org.apache.spark.ml.evaluation.Evaluator, org.apache.spark.sql.Dataset)}.
 * Its {@code metadata} table is written and the store closed when the handle is given out; open it
 * with {@code Store.open(run.storageFolder(), run.expId())} to add tables of your own.
 *
 * @param storageFolder the collection folder, the listener's folder
 * @param expId the run's folder name in it (a UUID4, as Python cox names runs)
 */
public record FitRun(Path storageFolder, String expId) {
    /**
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for an experiment id that is not a plain folder name
     */
    public FitRun {
        Objects.requireNonNull(storageFolder, "storageFolder");
        Objects.requireNonNull(expId, "expId");
        Store.checkExpId(expId);
    }

    /**
     * @return the run's folder, {@code storageFolder/expId}
     */
    public Path path() {
        return storageFolder.resolve(expId);
    }
}
