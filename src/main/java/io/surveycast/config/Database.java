package io.surveycast.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.impl.DSL;

/**
 * The connection pool and jOOQ context for one process: an external PostgreSQL when
 * {@code SURVEYCAST_DB_URL} is set, otherwise the embedded one in {@code SURVEYCAST_DATA_DIR}.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final EmbeddedPostgresServer embedded;
    private final String description;
    private final Thread stopOnExit;
    private volatile java.util.concurrent.CountDownLatch usersStopped = new java.util.concurrent.CountDownLatch(0);
    private boolean closed;
    /** How long the JVM's exit waits for the users of the database to stop before stopping it anyway. */
    static final java.time.Duration EXIT_PATIENCE = java.time.Duration.ofSeconds(25);

    private Database(HikariDataSource dataSource, EmbeddedPostgresServer embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
        // the embedded server is stopped when the JVM exits (SIGTERM), but only once what uses it
        // has stopped: stopping it at the same time cut the routes' last statements off
        this.stopOnExit = embedded == null ? null : Thread.ofPlatform().name("surveycast-database-stop").unstarted(() -> {
            try {
                usersStopped.await(EXIT_PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        });
        if (stopOnExit != null) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES,
                new org.jooq.conf.Settings()
                        .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                        .withExecuteLogging(false));
    }

    public static Database open(Settings settings, int poolSize) {
        var url = settings.get("surveycast.db.url");
        EmbeddedPostgresServer embedded = null;
        String jdbcUrl;
        String user;
        String password;
        String description;
        if (url.isPresent()) {
            jdbcUrl = url.get();
            user = settings.get("surveycast.db.user", null);
            password = settings.get("surveycast.db.password", null);
            description = jdbcUrl.replaceAll("password=[^&]*", "password=***");
        } else {
            embedded = EmbeddedPostgresServer.startOrAttach(settings.dataDir().resolve("postgres"));
            jdbcUrl = embedded.jdbcUrl();
            user = "postgres";
            password = null;
            description = "embedded PostgreSQL in " + embedded.directory() + " (port " + embedded.port() + ")";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("surveycast");
        config.setInitializationFailTimeout(1000L * settings.getInt("surveycast.db.connect-timeout", 10));
        try {
            return new Database(new HikariDataSource(config), embedded, description);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw new IllegalStateException("cannot connect to " + description + ": " + rootMessage(e), e);
        }
    }

    /** Applies the migrations in db/migration that the database has not seen yet; returns how many ran. */
    public int migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String description() {
        return description;
    }

    /** True when a connection can be had and answers a query within two seconds. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * On JVM exit the database stays up until {@code stopped} is counted down (at most
     * {@link #EXIT_PATIENCE}): the caller's routes and schedulers stop first.
     */
    public void stopAfter(java.util.concurrent.CountDownLatch stopped) {
        this.usersStopped = stopped;
    }

    /** Closes the pool and stops an embedded server this process started; once, from any thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stopOnExit != null && Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook finds the database closed
            }
        }
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
