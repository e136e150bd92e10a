package ovavss.studio.spark;

import java.io.PrintStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-predict.sh sql "<query>"}: one Spark SQL query on an embedded local Spark, for users
 * who have no Spark installed, printed as a table (up to 100 rows). Tables are read by path, as Spark
 * SQL allows: {@code SELECT label, count(*) FROM parquet.`out/predictions.parquet` GROUP BY label}.
 * Exit 0, or 2 with one line when the query is wrong or names a table that is not there.
 */
public final class PredictionsQuery {
    private static final int MAX_ROWS = 100;

    private PredictionsQuery() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        if (args.length != 1 || args[0].isBlank()) {
            err.println("spark-predict sql: give one query, e.g. \"SELECT label, count(*) AS n FROM "
                    + "parquet.`out/predictions.parquet` GROUP BY label ORDER BY n\"");
            return 2;
        }
        SparkSession spark = SparkSession.builder().appName("ovavss-sql").master("local[*]")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        try {
            Dataset<Row> result = spark.sql(args[0]);
            out.print(table(result.columns(), result.takeAsList(MAX_ROWS + 1)));
            return 0;
        } catch (Exception e) {
            // Spark throws its checked AnalysisException (a wrong query, a missing table: the
            // user's input, told in its first line) from Scala, undeclared
            if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            err.println("spark-predict sql: " + e.getMessage().lines().findFirst().orElse(e.getMessage()));
            return 2;
        } finally {
            spark.stop();
        }
    }

    /** The rows as a text table, columns padded to their widest cell; a last line when more were left out. */
    static String table(String[] columns, java.util.List<Row> rows) {
        int shown = Math.min(rows.size(), MAX_ROWS);
        String[][] cells = new String[shown + 1][columns.length];
        int[] width = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            cells[0][c] = columns[c];
            for (int r = 0; r < shown; r++) {
                Object v = rows.get(r).get(c);
                cells[r + 1][c] = v == null ? "NULL" : String.valueOf(v);
            }
            for (String[] line : cells) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        sb.append(rule).append('\n');
        for (int r = 0; r < cells.length; r++) {
            sb.append('|');
            for (int c = 0; c < columns.length; c++) {
                sb.append(' ').append(cells[r][c]).append(" ".repeat(width[c] - cells[r][c].length())).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append(rule).append('\n');
            }
        }
        sb.append(rule).append('\n');
        if (rows.size() > MAX_ROWS) {
            sb.append("only the first ").append(MAX_ROWS).append(" rows shown\n");
        }
        return sb.toString();
    }
}
