package dev.resilience.benchmarks;

import dev.resilience.aspectj.ResilienceAspect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.aspectj.bridge.IMessage;
import org.aspectj.bridge.MessageHandler;
import org.aspectj.tools.ajc.Main;

/**
 * The startup rows' application: 1,000 guarded methods, 100 bean classes of 10 methods each. Each method carries
 * {@code @CircuitBreaker}, {@code @Retry} and {@code @Fallback}, naming its class's breaker and retry (one instance
 * per class, as for one remote dependency per class): 100 breakers, 100 retries and 1,000 fallback chains. The
 * classes are written as source and compiled with the JDK's compiler (and woven by ajc) once into
 * {@code target/generated-startup}, by a JVM of their own (reused by later runs), then loaded by a class loader of
 * their own, or by the application's when they are on its class path (as {@code startup-aot.sh} puts them: the code
 * Spring AOT generates beside them must share their class loader).
 */
final class GeneratedServices {

    static final int CLASSES = 100;
    static final int METHODS_PER_CLASS = 10;
    private static final String PACKAGE = "dev.resilience.benchmarks.generated";
    private static final Path OUTPUT = Path.of("target", "generated-startup");

    private static List<Class<?>> loaded;
    private static List<Class<?>> woven;

    private GeneratedServices() {
    }

    /** The 100 classes, compiled by a JVM of their own unless a previous run left them. */
    static synchronized List<Class<?>> classes() {
        if (loaded == null) {
            loaded = load(inChildJvm(OUTPUT.resolve("classes")));
        }
        return loaded;
    }

    /**
     * The same 100 classes woven with {@code resilience-aspectj}'s aspect by ajc (AspectJ mode's start), compiled by a
     * JVM of their own unless a previous run left them.
     */
    static synchronized List<Class<?>> wovenClasses() {
        if (woven == null) {
            woven = load(inChildJvm(OUTPUT.resolve("woven")));
        }
        return woven;
    }

    /**
     * Compiles and weaves the classes into {@link #OUTPUT}: run in a JVM of its own, so that the JVM whose cold start
     * is measured has not run javac and ajc first (which would have loaded and compiled much of what a start uses).
     */
    public static void main(String[] args) {
        compiled();
        woven();
    }

    private static Path inChildJvm(Path classes) {
        if (compiledBefore(classes)) {
            return classes;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    GeneratedServices.class.getName()).inheritIO().start();
            if (child.waitFor() != 0 || !compiledBefore(classes)) {
                throw new IllegalStateException("Could not compile the startup benchmark's classes into " + OUTPUT);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return classes;
    }

    private static Path compiled() {
        Path classes = OUTPUT.resolve("classes");
        if (compiledBefore(classes)) {
            return classes;
        }
        List<String> arguments = new ArrayList<>(List.of("-proc:none", "-nowarn", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path")));
        arguments.addAll(sources());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("Could not compile the startup benchmark's classes (a JDK is needed)");
        }
        return classes;
    }

    private static Path woven() {
        Path classes = OUTPUT.resolve("woven");
        if (compiledBefore(classes)) {
            return classes;
        }
        String aspect = ResilienceAspect.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        List<String> arguments = new ArrayList<>(List.of("-" + Runtime.version().feature(), "-nowarn",
                "-Xlint:ignore", "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                "-aspectpath", aspect));
        arguments.addAll(sources());
        MessageHandler messages = new MessageHandler();
        new Main().run(arguments.toArray(String[]::new), messages);
        if (messages.hasAnyMessage(IMessage.ERROR, true)) {
            throw new IllegalStateException("ajc could not weave the startup benchmark's classes: "
                    + List.of(messages.getMessages(IMessage.ERROR, true)));
        }
        return classes;
    }

    private static boolean compiledBefore(Path classes) {
        return Files.exists(classes.resolve(PACKAGE.replace('.', '/')).resolve(name(CLASSES - 1) + ".class"));
    }

    /** Writes the classes' sources (again) and answers their paths. */
    private static List<String> sources() {
        try {
            Path sources = Files.createDirectories(OUTPUT.resolve("sources"));
            List<String> paths = new ArrayList<>(CLASSES);
            for (int i = 0; i < CLASSES; i++) {
                Path source = sources.resolve(name(i) + ".java");
                Files.writeString(source, source(i));
                paths.add(source.toString());
            }
            return paths;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Loads the classes from {@code classes} with a class loader of their own, or from the application's class path
     * when they are on it (as for {@link StartupAot}: the code Spring AOT generates beside them must share their
     * class loader).
     */
    private static List<Class<?>> load(Path classes) {
        try {
            ClassLoader application = GeneratedServices.class.getClassLoader();
            boolean onClassPath = application.getResource(PACKAGE.replace('.', '/') + "/" + name(0) + ".class")
                    != null;
            ClassLoader loader = onClassPath ? application
                    : new URLClassLoader(new URL[] {classes.toUri().toURL()}, application);
            List<Class<?>> types = new ArrayList<>(CLASSES);
            for (int i = 0; i < CLASSES; i++) {
                types.add(Class.forName(PACKAGE + "." + name(i), false, loader));
            }
            return types;
        } catch (IOException | ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String name(int index) {
        return "Service" + index;
    }

    private static String source(int index) {
        StringBuilder out = new StringBuilder();
        out.append("package ").append(PACKAGE).append(";\n\npublic class ").append(name(index)).append(" {\n")
                .append("    private int value = ").append(index).append(";\n");
        for (int m = 0; m < METHODS_PER_CLASS; m++) {
            out.append("\n    @dev.resilience.annotation.CircuitBreaker(\"service").append(index).append("\")\n")
                    .append("    @dev.resilience.annotation.Retry(\"service").append(index).append("\")\n")
                    .append("    @dev.resilience.annotation.Fallback(\"fallback\")\n")
                    .append("    public int call").append(m).append("(String key) {\n")
                    .append("        return value + key.length();\n    }\n");
        }
        out.append("\n    int fallback(String key) {\n        return -1;\n    }\n}\n");
        return out.toString();
    }
}
