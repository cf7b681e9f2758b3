package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.core.FakeTime;
import dev.resilience.deferred.DeferredTestApplication.Letter;
import dev.resilience.deferred.DeferredTestApplication.Mailer;
import dev.resilience.deferred.DeferredTestApplication.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database of stored calls is down when the application starts: an H2 server's port, held by a socket that is
 * bound but does not listen (so connections are refused and no other process takes the port), then given to an H2
 * server. The start goes on and says so, and the table is created once the database answers. Hikari's default
 * fail-fast start makes each attempt while it is down take a second.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeferredDatabaseDownTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** A port on 127.0.0.1 that refuses connections until {@link #serve} starts a database on it. */
    private Socket heldPort() throws IOException {
        Socket held = new Socket();
        held.setReuseAddress(true);
        held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.add(held);
        return held;
    }

    private Server serve(Socket held) throws SQLException, IOException {
        int port = held.getLocalPort();
        held.close();
        Server database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        resources.add(database::stop);
        return database;
    }

    private ConfigurableApplicationContext start(Socket held, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=jdbc:h2:tcp://127.0.0.1:" + held.getLocalPort() + "/mem:down",
                "spring.datasource.username=sa", "spring.datasource.hikari.connection-timeout=250"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeferredTestApplication.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        resources.add(context);
        return context;
    }

    @Test
    void aDatabaseDownAtStartupStopsNothingAndAStoreCreatesTheTableOnceItAnswers(CapturedOutput output)
            throws Exception {
        Socket held = heldPort();
        // No replay on this replica, so that no poll of db-scheduler's tries the database beside the test's calls.
        ConfigurableApplicationContext context = start(held, "resilience.retry-later.replay=false");
        assertThat(output).contains("The database of stored calls cannot be reached (")
                .contains("the start goes on; the table resilience_deferred_calls (resilience.retry-later.table-name)");
        HealthIndicator health = context.getBean("deferredCallsHealthIndicator", HealthIndicator.class);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UNKNOWN");
        context.getBean(Recorder.class).down = true;
        // Not stored, and the caller is told, with the call's own failure attached.
        assertThatThrownBy(() -> context.getBean(Mailer.class).send(new Letter("ada@example.com", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not store")
                .hasMessageContaining("The database of stored calls cannot be reached")
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).singleElement()
                        .satisfies(failure -> assertThat(failure).hasMessage("mail server down")));

        DeferredCalls calls = context.getBean(DeferredCalls.class);
        assertThat(((DeferredJdbcCustomization) calls.table().jdbcCustomization()).isDetected()).isFalse();

        serve(held);

        // The store comes first: it creates the table itself, before any reading.
        context.getBean(Mailer.class).send(new Letter("grace@example.com", 2));
        assertThat(calls.list(0, 10)).singleElement()
                .satisfies(call -> assertThat(call.arguments()).contains("grace@example.com"));
        context.getBean(FakeTime.class).advance(Duration.ofSeconds(2)); // past the cached reading
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        // db-scheduler's dialect was detected once the database answered, not left at the default from startup.
        assertThat(((DeferredJdbcCustomization) calls.table().jdbcCustomization()).isDetected()).isTrue();
    }

    @Test
    void theSchedulersPollCreatesTheTableWithoutAnyStoreOrReading() throws Exception {
        Socket held = heldPort();
        // Real time: db-scheduler waits for its next poll by the clock it is given.
        start(held, "resilience.retry-later.poll-interval=200ms", "test.fake-time=false");

        serve(held);

        String url = "jdbc:h2:tcp://127.0.0.1:" + held.getLocalPort() + "/mem:down";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean created = false;
        while (!created && System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                created = connection.getMetaData().getTables(null, null, "RESILIENCE_DEFERRED_CALLS", null).next();
            }
            if (!created) {
                Thread.sleep(100);
            }
        }
        assertThat(created).as("the table was created by a poll within 20 s").isTrue();
    }

    @Test
    void aDatabaseThatAnswersButRefusesTheTableStillStopsStartup() throws Exception {
        String failure = startupFailure("reader", "reader", "create user reader password 'reader'");
        assertThat(failure).contains("Could not create the table of stored calls 'resilience_deferred_calls'")
                .contains("resilience.retry-later.create-table=false");
    }

    @Test
    void aWrongPasswordStillStopsStartup() throws Exception {
        String failure = startupFailure("sa", "wrong", "select 1");
        assertThat(failure).contains("The database of stored calls refused a connection")
                .contains("Wrong user name or password");
    }

    /**
     * The messages of the failed start of the application as {@code user} with {@code password}, on a database that
     * answers (owned by {@code sa}, who first runs {@code setup}).
     */
    private String startupFailure(String user, String password, String setup) throws Exception {
        Socket held = heldPort();
        serve(held);
        String url = "jdbc:h2:tcp://127.0.0.1:" + held.getLocalPort() + "/mem:answers";
        Connection owner = DriverManager.getConnection(url, "sa", "secret"); // creates it; it lives while this is open
        resources.add(owner);
        owner.createStatement().execute(setup);
        return messages(catchThrowable(() -> new SpringApplicationBuilder(DeferredTestApplication.class)
                .web(WebApplicationType.NONE).properties("spring.datasource.url=" + url,
                        "spring.datasource.username=" + user, "spring.datasource.password=" + password)
                .run().close()));
    }

    @Test
    void aRefusalIsTheDatabaseSayingNoAndAnOutageIsABrokenConnection() {
        // A failed connection: an outage unless the database said why it refused.
        assertThat(DeferredTable.refused(new SQLTransientConnectionException("pool timed out", "28000",
                new SQLException("password authentication failed", "28P01")))).isTrue();
        assertThat(DeferredTable.refused(new SQLException("database \"x\" does not exist", "3D000"))).isTrue();
        assertThat(DeferredTable.refused(new SQLException("the database system is starting up", "57P03")))
                .isFalse();
        assertThat(DeferredTable.refused(new SQLException("too many clients", "53300"))).isFalse();
        // A failed statement: a refusal unless the connection broke.
        assertThat(DeferredTable.unreachable(new SQLException("refused", "08001"))).isTrue();
        assertThat(DeferredTable.unreachable(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(DeferredTable.unreachable(new SQLException("wrapped", "HY000", new SocketException("reset"))))
                .isTrue();
        assertThat(DeferredTable.unreachable(new SQLException("permission denied", "42501"))).isFalse();
        assertThat(DeferredTable.unreachable(new SQLException("no state"))).isFalse();
    }

    private static String messages(Throwable thrown) {
        assertThat(thrown).as("startup failure").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
