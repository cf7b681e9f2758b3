package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration REQUEST = Duration.ofSeconds(30);
    private static final Pattern PORT = Pattern.compile("started on port (\\d+)");
    private static final JsonMapper JSON = new JsonMapper();
    private static final String ADMIN = "Basic "
            + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path output;
    private static Path classes;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();
    private final List<String> log = new ArrayList<>();
    private Process application;

    @BeforeAll
    static void processTheSample() throws IOException {
        classes = processAheadOfTime();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (application != null) {
            application.destroy();
            if (!application.waitFor(30, TimeUnit.SECONDS)) {
                application.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theAheadOfTimeProcessedSampleGuardsItsCallsAsARegularStartDoes() throws Exception {
        // The inventory's probe would hold the breaker open on its own once it saw the failures: not checked here.
        int port = started(launch("--resilience.probes.inventory-service.initial-delay=1h"));

        assertThat(get(port, "/actuator/health").body()).contains("\"circuitBreakers\"", "\"inventory\"");
        post(port, "/sim/inventory", "{\"failureRate\": 1.0}");
        // A call's retries may open the breaker half-way: its last attempt is then rejected (503), not failed (502).
        List<Integer> answers = new ArrayList<>();
        while (!get(port, "/actuator/resilience/circuitbreakers/inventory").body().contains("\"state\":\"OPEN\"")) {
            answers.add(get(port, "/api/inventory/apple").statusCode());
            assertThat(answers).as("answers before the inventory breaker opened").hasSizeLessThan(100);
        }
        assertThat(answers).as("the breaker opened on failed calls, not before them").contains(502)
                .allMatch(status -> status == 502 || status == 503);
        assertThat(get(port, "/api/inventory/apple").statusCode()).as("a call the open breaker rejects")
                .isEqualTo(503);

        post(port, "/sim/primary", "{\"failureRate\": 1.0}");
        HttpResponse<String> answer = get(port, "/api/answer?q=aot");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"source\":\"secondary\"");
    }

    @Test
    void aNotificationTheMailServiceCannotTakeNowIsStoredAndReplayedFromTheGeneratedCode() throws Exception {
        // The scheduler's own replay (5 s after the failure in the sample) would race the replay asked for here.
        int port = started(launch("--resilience.retry-later.instances.notifications.backoff=1h",
                "--resilience.retry-later.instances.notifications.max-backoff=1h"));
        post(port, "/sim/mail", "{\"failureRate\": 1.0}", null, 200);

        JsonNode accepted = JSON.readTree(post(port, "/api/notifications", "{\"to\": \"ops@example.com\", \"text\":"
                + " \"compiled ahead of time\"}", null, 202));
        JsonNode stored = JSON.readTree(body(port, "/actuator/resilience/deferred"));
        assertThat(stored.get("total").asLong()).as("stored calls: %s", stored).isEqualTo(1);
        String id = stored.get("calls").get(0).get("id").asString();

        post(port, "/sim/mail", "{\"failureRate\": 0}", null, 200);
        post(port, "/actuator/resilience/deferred/" + id, "{\"replay\": true}", ADMIN, 200);
        JsonNode mailbox = JSON.readTree(body(port, "/sim/mail/messages"));
        long deadline = System.nanoTime() + REQUEST.toNanos();
        while (mailbox.get("delivered").asInt() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100); // a poll of what the sample reports, bounded by REQUEST; nothing is assumed of timing
            mailbox = JSON.readTree(body(port, "/sim/mail/messages"));
        }
        assertThat(mailbox.get("delivered").asInt()).as("delivered after the replay: %s", mailbox).isEqualTo(1);
        assertThat(mailbox.toString()).contains(accepted.get("id").asString(), "compiled ahead of time");
    }

    @Test
    void aBadValueStillStopsTheAheadOfTimeProcessedStartNamingTheProperty() throws Exception {
        CompletableFuture<Integer> started = launch(
                "--resilience.circuitbreaker.instances.inventory.failure-rate-threshold=150");

        assertThat(application.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the start stopped").isTrue();
        assertThat(application.exitValue()).as("the exit code").isNotZero();
        assertThat(started).as("a start that stopped").failsWithin(START);
        synchronized (log) {
            assertThat(String.join("\n", log)).contains("Starting AOT-processed SampleApplication",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold", "150");
        }
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
                "-classpath", classPath()));
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

    /**
     * Starts the sample from the generated code in a JVM of its own, on a free port: the future completes with the
     * port once it has started from that code, or fails if it stops first. Its output is read into {@link #log}
     * until it ends, so that its logging never waits on a full pipe.
     */
    private CompletableFuture<Integer> launch(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
                "-cp", classes + File.pathSeparator + classPath(), SampleApplication.class.getName(),
                "--server.port=0"));
        command.addAll(List.of(arguments));
        application = new ProcessBuilder(command).directory(output.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Integer> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> read(started), "aot-sample-output");
        reader.setDaemon(true);
        reader.start();
        return started;
    }

    private void read(CompletableFuture<Integer> started) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(application.getInputStream(),
                StandardCharsets.UTF_8))) {
            Integer port = null;
            boolean generated = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (log) {
                    log.add(line);
                }
                generated |= line.contains("Starting AOT-processed SampleApplication");
                Matcher found = PORT.matcher(line);
                if (found.find()) {
                    port = Integer.valueOf(found.group(1));
                }
                if (line.contains("Started SampleApplication")) {
                    if (generated && port != null) {
                        started.complete(port);
                    } else {
                        started.completeExceptionally(new AssertionError(generated
                                ? "no port in the start's log" : "the start did not use the generated code"));
                    }
                }
            }
        } catch (IOException ex) {
            started.completeExceptionally(new UncheckedIOException(ex));
        }
        started.completeExceptionally(new IllegalStateException("The AOT-processed sample stopped"));
    }

    /** The port of a start that must succeed; the start's log in the failure otherwise. */
    private int started(CompletableFuture<Integer> start) throws InterruptedException {
        try {
            return start.get(START.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            synchronized (log) {
                throw new AssertionError("The AOT-processed sample did not start; its log:\n"
                        + String.join("\n", log), ex);
            }
        }
    }

    /** The test's class path as surefire sets it (java.class.path may be surefire's manifest-only jar). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a GET that must answer 200. */
    private String body(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private void post(int port, String path, String json) throws IOException, InterruptedException {
        post(port, path, json, null, 200);
    }

    /** POSTs {@code json} (as {@code authorization} when not null) and answers the body of the expected status. */
    private String post(int port, String path, String json, String authorization, int status)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(port, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(REQUEST);
    }
}
