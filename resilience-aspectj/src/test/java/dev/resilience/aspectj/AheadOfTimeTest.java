package dev.resilience.aspectj;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * AspectJ mode in an application processed ahead of time by Spring AOT ({@link AotApplication}) and started from
 * the generated code with {@code -Dspring.aot.enabled=true}, in a JVM of its own (the generated code must share the
 * application's class loader): a woven self-call is retried; and since the processing fixed how methods are
 * guarded (which of the proxy advisor and the woven-class check exist), a start with the other mode stops, naming
 * the mode it was processed with, rather than guard nothing or every call twice.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AheadOfTimeTest {

    private static final long EXIT_SECONDS = 120;

    @TempDir
    static Path output;
    private static Path aspectj;
    private static Path proxy;

    @BeforeAll
    static void processInEachMode() throws IOException {
        aspectj = processAheadOfTime("aspectj");
        proxy = processAheadOfTime("proxy");
    }

    /** Spring AOT's processing of {@link AotApplication} in {@code mode}, compiled: the directory of its classes. */
    private static Path processAheadOfTime(String mode) throws IOException {
        Path sources = output.resolve(mode).resolve("sources");
        Path classes = output.resolve(mode).resolve("classes");
        AbstractAotProcessor.Settings settings = AbstractAotProcessor.Settings.builder().sourceOutput(sources)
                .resourceOutput(classes).classOutput(classes).groupId("dev.resilience")
                .artifactId("resilience-aspectj").build();
        new SpringApplicationAotProcessor(AotApplication.class, settings,
                new String[] {"--resilience.aop.mode=" + mode}).process();
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

    @Test
    void aWovenSelfCallIsGuardedInTheAheadOfTimeProcessedApplication() throws Exception {
        Run run = start(aspectj, "--resilience.aop.mode=aspectj");

        assertThat(run.exitCode()).as("the exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("Starting AOT-processed AotApplication", "ANSWER 42 AFTER 3 ATTEMPTS");
    }

    @ParameterizedTest(name = "processed in {0} mode, started in {1} mode")
    @CsvSource({"aspectj, proxy", "proxy, aspectj"})
    void aStartInTheOtherModeStopsNamingTheModeTheApplicationWasProcessedWith(String processed, String started)
            throws Exception {
        Run run = start(processed.equals("aspectj") ? aspectj : proxy, "--resilience.aop.mode=" + started);

        assertThat(run.exitCode()).as("the exit code; output:%n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("Starting AOT-processed AotApplication", "resilience.aop.mode",
                "processed ahead of time", "resilience.aop.mode=" + processed).doesNotContain("ANSWER");
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs the application from the generated code to its end, its output in a file (no pipe to fill). */
    private static Run start(Path classes, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
                "-cp", classes + File.pathSeparator + classPath(), AotApplication.class.getName()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(output, "run", ".log");
        Process application = new ProcessBuilder(command).directory(output.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            assertThat(application.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)).as("the application ended").isTrue();
            return new Run(application.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            application.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The test's class path as surefire sets it (java.class.path may be surefire's manifest-only jar). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
