package cox.store;

/**
 * What {@link Table#flushRow()} waits for before it returns.
 */
public enum Durability {
    /**
     * The row is in the store's journal in the operating system's page cache: a killed process
     * ({@code kill -9}) loses no flushed row; a power loss may lose rows since the last
     * {@link Store#sync()}. The default.
     */
    PROCESS,
    /** The journal is fsync'ed after every row: flushed rows survive a power loss too. Slower. */
    FSYNC
}
