package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.annotation.RetryLater;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

class RetryLaterStartupTest {

    private static String failure(Class<?> application, String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.datasource.url=jdbc:h2:mem:startup" + System.nanoTime()));
        all.addAll(List.of(properties));
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                    .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run()) {
                // started: no failure
            }
        });
        assertThat(thrown).as("startup failure").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aBadValueStopsStartupNamingThePathTheValueAndWhatIsAllowed() {
        assertThat(failure(DeferredTestApplication.class, "resilience.retry-later.instances.mail.max-attempts=0"))
                .contains("resilience.retry-later.instances.mail.max-attempts").contains("0")
                .contains("must be at least 1");
        assertThat(failure(DeferredTestApplication.class, "resilience.retry-later.instances.mail.backoff=2m",
                "resilience.retry-later.instances.mail.max-backoff=1m"))
                .contains("resilience.retry-later.instances.mail.max-backoff").contains("must be at least backoff");
        assertThat(failure(DeferredTestApplication.class, "resilience.retry-later.table-name=calls; drop table x"))
                .contains("resilience.retry-later.table-name");
    }

    @Test
    void anUnknownKeyUnderRetryLaterStopsStartupNamingTheNearestOne() {
        assertThat(failure(DeferredTestApplication.class, "resilience.retry-later.instances.mail.max-atempts=3"))
                .contains("resilience.retry-later.instances.mail.max-atempts")
                .contains("resilience.retry-later.instances.mail.max-attempts");
    }

    @Test
    void theRestOfResilienceStaysStrictBesideTheModulesSection() {
        assertThat(failure(DeferredTestApplication.class, "resilience.retry-later.instances.mail.max-attempts=3",
                "resilience.retryy.instances.x.max-attempts=3"))
                .contains("resilience.retryy");
    }

    @Test
    void aMethodTakingAStreamStopsStartup() {
        assertThat(failure(StreamApplication.class))
                .contains("@RetryLater on " + Uploader.class.getName() + ".upload")
                .contains("cannot be stored: parameter 0").contains("InputStream");
    }

    @Test
    void aMethodReturningAValueStopsStartup() {
        assertThat(failure(ValueApplication.class))
                .contains("@RetryLater on " + Counter.class.getName() + ".count")
                .contains("must return void or CompletionStage<Void>");
    }

    @Test
    void anInstanceNameThatCannotBeginAnIdStopsStartup() {
        assertThat(failure(BadNameApplication.class))
                .contains("@RetryLater on " + Pager.class.getName() + ".page")
                .contains("names instance 'on call'").contains("1 to 50 letters, digits");
    }

    @Test
    void everyPropertyHasAnIdeHint() throws Exception {
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("configuration metadata").isNotNull();
            String json = new String(metadata.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String name : List.of("table-name", "create-table", "poll-interval", "threads", "replay",
                    "scheduler-name", "health-window", "instances", "configs")) {
                assertThat(json).contains("\"name\": \"resilience.retry-later." + name + "\"");
            }
            for (String hint : List.of("How often each replica looks for due calls",
                    "Per-instance replay settings")) {
                assertThat(json).contains(hint);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StreamApplication {
        @Bean
        Uploader uploader() {
            return new Uploader();
        }
    }

    static class Uploader {
        @RetryLater("uploads")
        public void upload(InputStream content) {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ValueApplication {
        @Bean
        Counter counter() {
            return new Counter();
        }
    }

    static class Counter {
        @RetryLater("counts")
        public int count(String what) {
            return 0;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BadNameApplication {
        @Bean
        Pager pager() {
            return new Pager();
        }
    }

    static class Pager {
        @RetryLater("on call")
        public void page(String who) {
        }
    }
}
