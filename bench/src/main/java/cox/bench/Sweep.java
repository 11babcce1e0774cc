package cox.bench;

/**
 * Prints the folder of the generated sweep ({@link SweepCollection}), making it first if needed:
 * {@code java cox.bench.Sweep RUNS ROWS}. For {@code bench/sql-export-timings}.
 */
public final class Sweep {
    private Sweep() {
    }

    /**
     * @param args runs and rows per run, default 1000 and 1000
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.println(SweepCollection.get(runs, rows));
    }
}
