package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is plain Java: neither Spring nor Micrometer is on its class path or named in its sources. */
class CoreLayeringTest {

    @Test
    void springAndMicrometerAreNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("org.springframework.core.SpringVersion"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void noSourceNamesSpringOrMicrometer() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> offenders = files.filter(file -> file.toString().endsWith(".java")).filter(file -> {
                try {
                    String text = Files.readString(file);
                    return text.contains("org.springframework") || text.contains("io.micrometer");
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
