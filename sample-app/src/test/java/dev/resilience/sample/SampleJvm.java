package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/**
 * The sample application started in a JVM of its own, as the tests that need JVM options of its start use it
 * (Spring AOT's generated code, the JVM's AOT cache): on a free port, in a working directory of the test's, its
 * output read into a log until it ends, so that its logging never waits on a full pipe. Closing it stops it.
 */
final class SampleJvm implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);
    static final Duration REQUEST = Duration.ofSeconds(30);
    static final String ADMIN = "Basic "
            + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes(StandardCharsets.UTF_8));
    private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();
    private final List<String> log = new ArrayList<>();
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final Thread reader;
    private final Process process;

    /**
     * Starts the sample with {@code options} before its main class and {@code arguments} after it; the start
     * counts once it has logged {@code starting} (the line that says how it starts, e.g. "Starting AOT-processed
     * SampleApplication") and then that it started.
     */
    private SampleJvm(Path directory, String starting, List<String> options, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add(SampleApplication.class.getName());
        command.add("--server.port=0");
        command.addAll(arguments);
        process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        reader = new Thread(() -> read(starting), "sample-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    static SampleJvm launch(Path directory, String starting, List<String> options, String... arguments)
            throws IOException {
        return new SampleJvm(directory, starting, options, List.of(arguments));
    }

    /** The test's class path as surefire sets it (java.class.path may be surefire's manifest-only jar). */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void read(String starting) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            Integer port = null;
            boolean startedAsAsked = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (log) {
                    log.add(line);
                }
                startedAsAsked |= line.contains(starting);
                Matcher found = PORT.matcher(line);
                if (found.find()) {
                    port = Integer.valueOf(found.group(1));
                }
                if (line.contains("Started SampleApplication")) {
                    if (startedAsAsked && port != null) {
                        started.complete(port);
                    } else {
                        started.completeExceptionally(new AssertionError(startedAsAsked
                                ? "no port in the start's log" : "the start did not log \"" + starting + "\""));
                    }
                }
            }
        } catch (IOException ex) {
            started.completeExceptionally(new UncheckedIOException(ex));
        }
        started.completeExceptionally(new IllegalStateException("The sample stopped"));
    }

    /** The port of a start that must succeed; the start's log in the failure otherwise. */
    int port() throws InterruptedException {
        try {
            return started.get(START.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            throw new AssertionError("The sample did not start; its log:\n" + log(), ex);
        }
    }

    /** A start that must stop on its own within {@link #START}: its exit code, once its whole log is read. */
    int exitCode() throws InterruptedException {
        assertThat(process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the sample stopped on its own; its log:"
                + "\n%s", log()).isTrue();
        reader.join(REQUEST.toMillis());
        assertThat(reader.isAlive()).as("the sample's output still open after it stopped").isFalse();
        return process.exitValue();
    }

    /** Whether the start completed (a start that stopped instead completes exceptionally). */
    CompletableFuture<Integer> started() {
        return started;
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a GET that must answer 200. */
    String body(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    void post(String path, String json) throws IOException, InterruptedException {
        post(path, json, null, 200);
    }

    /** POSTs {@code json} (as {@code authorization} when not null) and answers the body of the expected status. */
    String post(String path, String json, String authorization, int status) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    private HttpRequest.Builder request(String path) throws InterruptedException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(REQUEST);
    }

    /**
     * Checks what a regular start of the sample guards: health lists the breakers; with the inventory failing, its
     * breaker opens on failed calls and then rejects; with the primary provider failing, the fallback answers
     * {@code question} from the secondary. The inventory's probe must be put off (it would hold the breaker open on
     * its own once it saw the failures).
     */
    void guardsItsCalls(String question) throws IOException, InterruptedException {
        assertThat(get("/actuator/health").body()).contains("\"circuitBreakers\"", "\"inventory\"");
        post("/sim/inventory", "{\"failureRate\": 1.0}");
        openTheInventoryBreaker();

        post("/sim/primary", "{\"failureRate\": 1.0}");
        HttpResponse<String> answer = get("/api/answer?q=" + question);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"source\":\"secondary\"");
    }

    /**
     * Asks for more breaker calls until the sample's inventory breaker reports OPEN, and checks that it opened on
     * failed calls (502) and rejects (503) once open: the sample's inventory must be failing.
     */
    private void openTheInventoryBreaker() throws IOException, InterruptedException {
        // A call's retries may open the breaker half-way: its last attempt is then rejected (503), not failed (502).
        List<Integer> answers = new ArrayList<>();
        while (!get("/actuator/resilience/circuitbreakers/inventory").body().contains("\"state\":\"OPEN\"")) {
            answers.add(get("/api/inventory/apple").statusCode());
            assertThat(answers).as("answers before the inventory breaker opened").hasSizeLessThan(100);
        }
        assertThat(answers).as("the breaker opened on failed calls, not before them").contains(502)
                .allMatch(status -> status == 502 || status == 503);
        assertThat(get("/api/inventory/apple").statusCode()).as("a call the open breaker rejects").isEqualTo(503);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
