package dev.openpayer.cur;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** An embedded, in-memory DuckDB with bounded memory that spills to the data directory; no extension is ever downloaded. */
public final class DuckDb {
    private DuckDb() {}

    /** Opens one; {@code spillDirectory} null leaves DuckDB's own temporary directory. */
    public static Connection open(Path spillDirectory) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = c.createStatement()) {
            st.execute("SET autoinstall_known_extensions = false");
            st.execute("SET autoload_known_extensions = false");
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET memory_limit = '1GB'");
            st.execute("SET preserve_insertion_order = false");
            if (spillDirectory != null) {
                st.execute("SET temp_directory = " + LakeSchema.quote(spillDirectory.toAbsolutePath().toString()));
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
