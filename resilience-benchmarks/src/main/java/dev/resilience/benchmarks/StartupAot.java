package dev.resilience.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.util.FileSystemUtils;

/**
 * Processes one startup application ({@link GeneratedServices}) ahead of time with Spring AOT, as
 * {@code spring-boot:process-aot} does for an application, and compiles what it generates, so that
 * {@link StartupSteps} can start it with {@code -Dspring.aot.enabled=true}: bean definitions from generated code
 * instead of parsing the configuration classes and evaluating their conditions at startup, and proxy classes
 * generated at build time. Run with the generated beans on the class path (the AOT code is generated into their
 * package, so it must share their class loader), e.g.
 * {@code java -cp target/classes:<dependencies>:target/generated-startup/woven StartupAot startupAspectJ <output>};
 * {@code startup-aot.sh} runs it for each variant and compares the starts.
 */
public final class StartupAot {

    private StartupAot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !StartupFootprint.VARIANTS.containsKey(args[0])) {
            throw new IllegalArgumentException("Usage: StartupAot <variant> <output directory>; variants: "
                    + StartupFootprint.VARIANTS.keySet());
        }
        Path output = Path.of(args[1]);
        FileSystemUtils.deleteRecursively(output);
        Path sources = output.resolve("sources");
        Path classes = output.resolve("classes");
        AbstractAotProcessor.Settings settings = AbstractAotProcessor.Settings.builder().sourceOutput(sources)
                .resourceOutput(classes).classOutput(classes).groupId("dev.resilience")
                .artifactId("resilience-benchmarks").build();
        // The processor runs StartupSteps' main as far as the context's refresh, and generates the initializer
        // that a start with spring.aot.enabled looks up by the main class's name.
        new SpringApplicationAotProcessor(StartupSteps.class, settings, new String[] {args[0]}).process();
        compile(sources, classes);
    }

    private static void compile(Path sources, Path classes) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-proc:none", "-nowarn", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path")));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> arguments.add(file.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("Could not compile the code Spring AOT generated into " + sources);
        }
    }
}
