package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample started from the JVM's start-up archive, made the way Boot documents it: a training run
 * ({@code -Dspring.context.exit=onRefresh}: the JVM ends once the context is refreshed) writes the JVM's AOT cache
 * ({@code -XX:AOTCacheOutput}, JDK 25 and later) or, on earlier JDKs, a class-data-sharing archive
 * ({@code -XX:ArchiveClassesAtExit}), and later starts map it. A training run often runs where the application's
 * dependencies are not (a build machine, a container build): it must not call them, so the starter's probes and
 * the replay of deferred calls start with the context's lifecycle, which a training run never starts. A start
 * from the archive takes the starter's classes from it and guards its calls as a regular start does. The archive
 * takes classes from jar files only, so the test's class path is started as jars.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TrainingRunTest {

    private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;
    private static final String STARTING = "Starting SampleApplication";

    @TempDir
    static Path output;
    private static String classPath;
    private static Path archive;
    private static int trainingExitCode;
    private static String trainingLog;

    @BeforeAll
    static void train() throws Exception {
        classPath = asJars(SampleJvm.testClassPath());
        archive = output.resolve(AOT_CACHE ? "sample.aot" : "sample.jsa");
        // No server listens in a training run, so a probe started too early would fail its first check at once;
        // at one failure it goes DOWN and logs it, while the JVM writes the archive.
        try (SampleJvm training = SampleJvm.launch(output, STARTING, List.of("-Dspring.context.exit=onRefresh",
                (AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive, "-cp", classPath),
                "--resilience.probes.inventory-service.failure-threshold=1",
                "--resilience.probes.primary-provider.failure-threshold=1",
                "--resilience.probes.secondary-provider.failure-threshold=1")) {
            trainingExitCode = training.exitCode();
            trainingLog = training.log();
        }
    }

    @Test
    void aTrainingRunEndsAtTheRefreshWithoutProbingTheDependenciesOrReplayingDeferredCalls() {
        assertThat(trainingExitCode).as("the training run's exit code; its log:\n%s", trainingLog).isZero();
        assertThat(archive).as("the archive the training run wrote").isNotEmptyFile();
        assertThat(trainingLog).contains(STARTING)
                .doesNotContain("Started SampleApplication", "Dependency probe", "Starting scheduler");
    }

    @Test
    void aStartFromTheArchiveTakesTheStartersClassesFromItAndGuardsItsCalls() throws Exception {
        Path loaded = output.resolve("classes.log");
        List<String> options = new ArrayList<>(AOT_CACHE
                // AOTMode=on and Xshare:on: a start that cannot map the archive stops rather than start without it;
                // the class-loading log shows the starter's classes did come from it.
                ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive)
                : List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
        options.addAll(List.of("-Xlog:class+load=info:file=" + loaded, "-cp", classPath));
        try (SampleJvm application = SampleJvm.launch(output, STARTING, options,
                "--resilience.probes.inventory-service.initial-delay=1h")) {
            application.guardsItsCalls("archived");
            assertThat(sourceOf(loaded, "dev.resilience.autoconfigure.ResilienceAutoConfiguration"))
                    .as("where the starter's auto-configuration was loaded from").contains("shared objects file");
            assertThat(sourceOf(loaded, "dev.resilience.circuitbreaker.CircuitBreaker"))
                    .as("where the breaker was loaded from").contains("shared objects file");
            String probe = application.body("/actuator/resilience/probes/secondary-provider");
            long deadline = System.nanoTime() + SampleJvm.REQUEST.toNanos();
            while (probe.contains("\"status\":\"UNKNOWN\"") && System.nanoTime() < deadline) {
                Thread.sleep(100); // a poll of what the sample reports, bounded by REQUEST; nothing is assumed of timing
                probe = application.body("/actuator/resilience/probes/secondary-provider");
            }
            assertThat(probe).as("a probe, which the started lifecycle runs").contains("\"status\":\"UP\"");
        }
    }

    /** The source the class-loading log gives for {@code type} ("shared objects file" when from the archive). */
    private static String sourceOf(Path log, String type) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("] " + type + " source: ")).findFirst()
                    .orElseThrow(() -> new AssertionError(type + " was not loaded (" + log + ")"));
        }
    }

    /** {@code classPath} with each directory on it replaced by a jar of its files. */
    private static String asJars(String classPath) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = output.resolve("class-path-" + entries.size() + ".jar");
                writeJar(path, jar);
                entries.add(jar.toString());
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Writes {@code directory}'s files into {@code jar}, with an entry per directory (component scanning needs them). */
    private static void writeJar(Path directory, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted()::iterator) {
                String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
                if (name.isEmpty()) {
                    continue;
                }
                boolean folder = Files.isDirectory(path);
                out.putNextEntry(new JarEntry(folder ? name + "/" : name));
                if (!folder) {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
    }
}
