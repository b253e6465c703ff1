package dev.openpayer.analytics;

import dev.openpayer.cur.DuckDb;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** Sums of unblended (default), amortized or net unblended cost from the lake, grouped, filtered and confined to the caller's accounts. */
@Service
public class CostExplorer {
    private final Path costs;

    CostExplorer(@Value("${openpayer.data-dir}") Path dataDir) {
        this.costs = dataDir.resolve("lake").resolve("cost").toAbsolutePath();
    }

    public List<CostRow> query(CostQuery q) {
        if (q.accounts() == null || q.accounts().isEmpty() || !hasData()) {
            return List.of();
        }
        String period = switch (q.granularity()) {
            case DAY -> "strftime(CAST(coalesce(charge_period_start, billing_period_start) AS DATE), '%Y-%m-%d')";
            case MONTH -> "strftime(billing_period_start, '%Y-%m')";
            case TOTAL -> "CAST(NULL AS VARCHAR)";
        };
        List<Object> params = new ArrayList<>();
        String group = q.groupBy() == CostQuery.Dimension.TAG ? "tags[?]" : q.groupBy().column == null ? "CAST(NULL AS VARCHAR)" : q.groupBy().column;
        if (q.groupBy() == CostQuery.Dimension.TAG) {
            params.add(q.tagKey());
        }
        String where = where(q, params);
        String sql = "SELECT " + period + " AS period, " + group + " AS grp, CAST(sum(" + q.metric().column + ") AS DECIMAL(38,10)) AS cost FROM read_parquet("
                + lake() + where + " GROUP BY ALL ORDER BY period NULLS FIRST, grp NULLS FIRST";
        try (Connection duck = DuckDb.forQueries()) {
            try (PreparedStatement st = duck.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    st.setObject(i + 1, params.get(i));
                }
                List<CostRow> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        BigDecimal cost = rs.getBigDecimal("cost");
                        rows.add(new CostRow(rs.getString("period"), rs.getString("grp"), cost == null ? BigDecimal.ZERO.setScale(10) : cost));
                    }
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the cost query failed: " + e.getMessage(), e);
        }
    }

    /** The currencies of the lines the question covers (its accounts, dates and filters), alphabetically. */
    public List<String> currencies(CostQuery q) {
        if (q.accounts() == null || q.accounts().isEmpty() || !hasData()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        String sql = "SELECT DISTINCT billing_currency AS currency FROM read_parquet(" + lake() + where(q, params)
                + " AND billing_currency IS NOT NULL ORDER BY 1";
        try (Connection duck = DuckDb.forQueries(); PreparedStatement st = duck.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            List<String> result = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("the cost query failed: " + e.getMessage(), e);
        }
    }

    private String lake() {
        return "'" + costs.toString().replace("'", "''") + "/source=*/billing_period=*/*.parquet', hive_partitioning = true, union_by_name = true)";
    }

    /** The WHERE clause of a question: its accounts, usage days and filters; appends the parameters. */
    private static String where(CostQuery q, List<Object> params) {
        StringBuilder where = new StringBuilder(" WHERE sub_account_id IN (");
        where.append(String.join(", ", q.accounts().stream().map(a -> "?").toList())).append(")");
        params.addAll(q.accounts());
        String day = "CAST(coalesce(charge_period_start, billing_period_start) AS DATE)";
        if (q.from() != null) {
            where.append(" AND ").append(day).append(" >= ?");
            params.add(java.sql.Date.valueOf(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND ").append(day).append(" < ?");
            params.add(java.sql.Date.valueOf(q.to()));
        }
        for (Map.Entry<String, String> f : (q.filters() == null ? Map.<String, String>of() : q.filters()).entrySet()) {
            if (f.getKey().startsWith("tag:")) {
                where.append(" AND tags[?] = ?");
                params.add(f.getKey().substring(4));
            } else {
                CostQuery.Dimension d = CostQuery.Dimension.valueOf(f.getKey());
                if (d.column == null) {
                    throw new IllegalArgumentException("cannot filter by " + f.getKey());
                }
                where.append(" AND ").append(d.column).append(" = ?");
            }
            params.add(f.getValue());
        }
        return where.toString();
    }

    private boolean hasData() {
        if (!Files.isDirectory(costs)) {
            return false;
        }
        try (var files = Files.find(costs, 3, (p, a) -> a.isRegularFile() && p.toString().endsWith(".parquet"))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
