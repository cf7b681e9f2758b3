package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.FakeTime;
import dev.resilience.deferred.DeferredTestApplication.Letter;
import dev.resilience.deferred.DeferredTestApplication.Mailer;
import dev.resilience.deferred.DeferredTestApplication.Recorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database of stored calls is down when the application starts (an H2 server on a port where none listens yet,
 * then started there): the start goes on, says so, and the table is created once the database answers. Hikari's
 * default fail-fast start makes each attempt while it is down take a second (it creates its pool at the first
 * connection that succeeds, so the first attempt after the database is up gets one).
 */
@ExtendWith(OutputCaptureExtension.class)
class DeferredDatabaseDownTest {

    @Test
    void aDatabaseDownAtStartupStopsNothingAndGetsItsTableOnceItAnswers(CapturedOutput output) throws Exception {
        int port = freePort();
        Server database = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DeferredTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:tcp://127.0.0.1:" + port + "/mem:down",
                        "spring.datasource.username=sa", "spring.datasource.hikari.connection-timeout=250",
                        "resilience.retry-later.poll-interval=1h")
                .run()) {
            assertThat(output).contains("The database of stored calls cannot be reached: the table "
                    + "resilience_deferred_calls (resilience.retry-later.table-name) will be created when it answers");
            HealthIndicator health = context.getBean("deferredCallsHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus().getCode()).isEqualTo("UNKNOWN");
            Recorder recorder = context.getBean(Recorder.class);
            recorder.down = true;
            // Not stored, and the caller is told, with the call's own failure attached.
            assertThatThrownBy(() -> context.getBean(Mailer.class).send(new Letter("ada@example.com", 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not store")
                    .satisfies(thrown -> assertThat(thrown.getSuppressed()).singleElement()
                            .satisfies(failure -> assertThat(failure).hasMessage("mail server down")));

            database.start();
            context.getBean(FakeTime.class).advance(Duration.ofSeconds(2)); // past the cached reading

            assertThat(health.health().getStatus().getCode()).isEqualTo("UP"); // the reading created the table
            context.getBean(Mailer.class).send(new Letter("grace@example.com", 2));
            assertThat(context.getBean(DeferredCalls.class).list(0, 10)).singleElement()
                    .satisfies(call -> assertThat(call.arguments()).contains("grace@example.com"));
        } finally {
            database.stop();
        }
    }

    @Test
    void aDatabaseThatAnswersButRefusesTheTableStillStopsStartup() {
        assertThatThrownBy(() -> new DeferredTable(new org.springframework.jdbc.datasource.SimpleDriverDataSource(
                new org.h2.Driver(), "jdbc:h2:mem:refusing" + System.nanoTime() + ";ACCESS_MODE_DATA=r", "sa", ""),
                "resilience_deferred_calls").ensure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Could not create the table of stored calls 'resilience_deferred_calls'")
                .hasMessageContaining("resilience.retry-later.create-table=false");
    }

    @Test
    void onlyAConnectionFailureCountsAsUnreachable() {
        assertThat(DeferredTable.unreachable(new SQLException("refused", "08001"))).isTrue();
        assertThat(DeferredTable.unreachable(new java.sql.SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(DeferredTable.unreachable(new SQLException("wrapped", "HY000", new SQLException("broken", "08006"))))
                .isTrue();
        assertThat(DeferredTable.unreachable(new SQLException("permission denied", "42501"))).isFalse();
        assertThat(DeferredTable.unreachable(new SQLException("no state"))).isFalse();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
