package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.aot.AbstractAotProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample application processed ahead of time by Spring AOT (what {@code spring-boot:process-aot} does) and
 * started from the generated code with {@code -Dspring.aot.enabled=true}, in a JVM of its own (the generated code
 * must share the application's class loader): the starter's bean definitions, post-processors and proxies work
 * without configuration-class parsing, so its breakers open, its fallbacks answer, its health and endpoint report,
 * a call it cannot make now is stored and replayed, and a bad value still stops the start, as in a regular start.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AheadOfTimeTest {

    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    static Path output;
    private static Path classes;

    private SampleJvm application;

    @BeforeAll
    static void processTheSample() throws IOException {
        classes = processAheadOfTime();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (application != null) {
            application.close();
        }
    }

    @Test
    void theAheadOfTimeProcessedSampleGuardsItsCallsAsARegularStartDoes() throws Exception {
        application = launch("--resilience.probes.inventory-service.initial-delay=1h");

        application.guardsItsCalls("aot");
    }

    @Test
    void aNotificationTheMailServiceCannotTakeNowIsStoredAndReplayedFromTheGeneratedCode() throws Exception {
        // The scheduler's own replay (5 s after the failure in the sample) would race the replay asked for here.
        application = launch("--resilience.retry-later.instances.notifications.backoff=1h",
                "--resilience.retry-later.instances.notifications.max-backoff=1h");
        application.post("/sim/mail", "{\"failureRate\": 1.0}");

        JsonNode accepted = JSON.readTree(application.post("/api/notifications", "{\"to\": \"ops@example.com\","
                + " \"text\": \"compiled ahead of time\"}", null, 202));
        JsonNode stored = JSON.readTree(application.body("/actuator/resilience/deferred"));
        assertThat(stored.get("total").asLong()).as("stored calls: %s", stored).isEqualTo(1);
        String id = stored.get("calls").get(0).get("id").asString();

        application.post("/sim/mail", "{\"failureRate\": 0}");
        application.post("/actuator/resilience/deferred/" + id, "{\"replay\": true}", SampleJvm.ADMIN, 200);
        JsonNode mailbox = JSON.readTree(application.body("/sim/mail/messages"));
        long deadline = System.nanoTime() + SampleJvm.REQUEST.toNanos();
        while (mailbox.get("delivered").asInt() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100); // a poll of what the sample reports, bounded by REQUEST; nothing is assumed of timing
            mailbox = JSON.readTree(application.body("/sim/mail/messages"));
        }
        assertThat(mailbox.get("delivered").asInt()).as("delivered after the replay: %s", mailbox).isEqualTo(1);
        assertThat(mailbox.toString()).contains(accepted.get("id").asString(), "compiled ahead of time");
    }

    @Test
    void aBadValueStillStopsTheAheadOfTimeProcessedStartNamingTheProperty() throws Exception {
        application = launch("--resilience.circuitbreaker.instances.inventory.failure-rate-threshold=150");

        assertThat(application.exitCode()).as("the exit code").isNotZero();
        assertThat(application.started()).as("a start that stopped").isCompletedExceptionally();
        assertThat(application.log()).contains("Starting AOT-processed SampleApplication",
                "resilience.circuitbreaker.instances.inventory.failure-rate-threshold", "150");
    }

    /** Spring AOT's processing of the sample, compiled: what the Maven plugin's process-aot goal and javac make. */
    private static Path processAheadOfTime() throws IOException {
        Path sources = output.resolve("sources");
        Path classes = output.resolve("classes");
        AbstractAotProcessor.Settings settings = AbstractAotProcessor.Settings.builder().sourceOutput(sources)
                .resourceOutput(classes).classOutput(classes).groupId("dev.resilience").artifactId("sample-app")
                .build();
        new SpringApplicationAotProcessor(SampleApplication.class, settings, new String[0]).process();
        List<String> arguments = new ArrayList<>(List.of("-proc:none", "-nowarn", "-d", classes.toString(),
                "-classpath", SampleJvm.testClassPath()));
        List<String> generated;
        try (Stream<Path> files = Files.walk(sources)) {
            generated = files.map(Path::toString).filter(file -> file.endsWith(".java")).toList();
        }
        assertThat(generated).as("the sources Spring AOT generated").isNotEmpty();
        arguments.addAll(generated);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).as("javac's exit code").isZero();
        return classes;
    }

    /** Starts the sample from the generated code in a JVM of its own, on a free port. */
    private static SampleJvm launch(String... arguments) throws IOException {
        return SampleJvm.launch(output, "Starting AOT-processed SampleApplication", List.of(
                "-Dspring.aot.enabled=true", "-cp", classes + File.pathSeparator + SampleJvm.testClassPath()),
                arguments);
    }
}
