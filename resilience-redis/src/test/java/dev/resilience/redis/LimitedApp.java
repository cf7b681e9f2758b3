package dev.resilience.redis;

import dev.resilience.annotation.RateLimiter;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimitExceededException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** One application with rate-limited methods on a given Redis; no web server. */
final class LimitedApp implements AutoCloseable {

    final ConfigurableApplicationContext context;

    private LimitedApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts an application on Redis at {@code redisPort} with the given extra {@code properties}. */
    static LimitedApp start(int redisPort, String... properties) {
        return start(redisPort, null, properties);
    }

    /** Likewise, with its own {@code timing} when not null. */
    static LimitedApp start(int redisPort, Timing timing, String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.main.web-application-type=none",
                "spring.main.banner-mode=off", "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redisPort, "spring.data.redis.timeout=2s",
                "management.endpoint.health.show-details=always"));
        all.addAll(List.of(properties));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(App.class)
                .properties(all.toArray(String[]::new));
        if (timing != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("resilienceTiming", timing));
        }
        return new LimitedApp(builder.run());
    }

    Quota quota() {
        return context.getBean(Quota.class);
    }

    /** Calls {@code call} and answers whether it was granted (false: the limiter rejected it). */
    static boolean granted(Runnable call) {
        try {
            call.run();
            return true;
        } catch (RateLimitExceededException rejected) {
            return false;
        }
    }

    double backendGauge(String name) {
        return context.getBean(MeterRegistry.class).get("resilience.ratelimiter.backend.available").tag("name", name)
                .gauge().value();
    }

    Health health() {
        return context.getBean("rateLimitersHealthIndicator", HealthIndicator.class).health();
    }

    @SuppressWarnings("unchecked")
    Object healthDetail(String limiter, String detail) {
        return ((Map<String, Object>) health().getDetails().get(limiter)).get(detail);
    }

    @Override
    public void close() {
        context.close();
    }

    /** Rate-limited methods that record when they ran, by their own clock. */
    public static class Quota {

        private final Queue<Long> ranAt = new ConcurrentLinkedQueue<>();

        /** When the granted calls ran (epoch milliseconds); a method, as the bean is reached through its proxy. */
        public Queue<Long> ranAt() {
            return ranAt;
        }

        @RateLimiter("quota")
        public void shared() {
            ranAt.add(System.currentTimeMillis());
        }

        @RateLimiter("share")
        public void share() {
        }

        @RateLimiter("strict")
        public void strict() {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Quota quota() {
            return new Quota();
        }
    }
}
