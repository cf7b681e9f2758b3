package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.deferred.DeferredTestApplication.Letter;
import dev.resilience.deferred.DeferredTestApplication.Mailer;
import dev.resilience.deferred.DeferredTestApplication.Recorder;
import dev.resilience.testing.RealServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas sharing one real PostgreSQL replay 1,000 stored calls, each exactly once; prints the figures the
 * README quotes (stored/s, replayed/s with two replicas, recovery-to-delivery delay).
 */
class DeferredCallsPostgresTest {

    private static final int CALLS = 1_000;

    private final String schema = "resilience_deferred_" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT);
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeEach
    void createSchema() throws SQLException {
        RealServices.postgres();
        execute("create schema " + schema);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        contexts.forEach(ConfigurableApplicationContext::close);
        execute("drop schema if exists " + schema + " cascade");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(RealServices.postgresUrl(), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private ConfigurableApplicationContext start(Recorder recorder, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + RealServices.postgresUrl() + "?currentSchema=" + schema,
                "spring.datasource.username=postgres",
                "test.fake-time=false",
                "resilience.retry-later.poll-interval=100ms",
                "resilience.retry-later.threads=4",
                "resilience.retry-later.instances.mail.backoff=1h",
                "resilience.retry-later.instances.mail.max-backoff=1h"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeferredTestApplication.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new))
                .initializers(initializing -> initializing.getBeanFactory().registerSingleton("recorder", recorder))
                .run();
        contexts.add(context);
        return context;
    }

    @Test
    void twoReplicasReplayEachOfAThousandStoredCallsExactlyOnce() throws Exception {
        Recorder caller = new Recorder();
        caller.down = true;
        ConfigurableApplicationContext storing = start(caller, "resilience.retry-later.replay=false");
        Recorder replicas = new Recorder();
        start(replicas, "resilience.retry-later.scheduler-name=replica-a");
        start(replicas, "resilience.retry-later.scheduler-name=replica-b");

        Mailer mailer = storing.getBean(Mailer.class);
        long storeStart = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            mailer.send(new Letter("to" + i, i));
        }
        long storeNanos = System.nanoTime() - storeStart;
        DeferredCalls calls = storing.getBean(DeferredCalls.class);
        assertThat(calls.count()).isEqualTo(CALLS);
        // The operators' queries run on PostgreSQL too: a page from the database, the figures in one statement.
        assertThat(calls.list(0, 10)).hasSize(10);
        assertThat(calls.list(CALLS - 3, 10)).hasSize(3);
        DeferredQueue.InstanceFigures figures = storing.getBean(DeferredQueue.class).figures("mail");
        assertThat(figures.waiting()).isEqualTo(CALLS);
        assertThat(figures.dead()).isZero();
        assertThat(figures.oldestStoredAt()).isNotNull();

        // The dependency recovers and the backoff is over: every call is due at once.
        long recovered = System.nanoTime();
        execute("update " + schema + ".resilience_deferred_calls set execution_time = now()");
        replicas.awaitCompletions(CALLS, Duration.ofSeconds(90));
        long replayNanos = System.nanoTime() - recovered;

        assertThat(calls.count()).isZero();
        assertThat(replicas.completions()).isEqualTo(CALLS);
        assertThat(replicas.deliveriesById).hasSize(CALLS)
                .allSatisfy((id, count) -> assertThat(count).as("deliveries of %s", id).hasValue(1));
        assertThat(replicas.delivered()).hasSize(CALLS).doesNotHaveDuplicates();
        System.out.printf(Locale.ROOT, "DEFERRED-FIGURES stored/s=%.0f replayed/s(2 replicas x 4 threads)=%.0f "
                + "recovery-to-first-delivery=%d ms recovery-to-last-delivery=%d ms per-replica=%s%n",
                CALLS / (storeNanos / 1e9), CALLS / (replayNanos / 1e9),
                (replicas.firstDeliveryNanos - recovered) / 1_000_000, replayNanos / 1_000_000,
                replicas.completionsByScheduler);
    }
}
