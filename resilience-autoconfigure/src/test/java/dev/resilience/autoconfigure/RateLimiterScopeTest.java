package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointAutoConfiguration;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.ratelimiter.RateLimiterBackend;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.ResponseEntity;

/**
 * {@code resilience.ratelimiter.*.scope}, {@code expected-replicas} and {@code on-backend-failure} without the
 * resilience-redis module: local limiters as before, and {@code cluster} refused naming what to add.
 */
class RateLimiterScopeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=resilience",
                    "resilience.ratelimiter.instances.quota.limit-for-period=10");

    @Test
    void aLimiterIsLocalByDefault() {
        runner.run(context -> assertThat(context.getBean(RateLimiterRegistry.class).get("quota").getConfig())
                .extracting(RateLimiterConfig::scope, RateLimiterConfig::expectedReplicas,
                        RateLimiterConfig::onBackendFailure)
                .containsExactly(RateLimiterConfig.Scope.LOCAL, 1, RateLimiterConfig.OnBackendFailure.LOCAL_SHARE));
    }

    @Test
    void clusterScopeWithoutTheRedisModuleStopsStartupNamingThePropertyAndWhatToAdd() {
        runner.withPropertyValues("resilience.ratelimiter.instances.quota.scope=cluster").run(context ->
                assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("resilience.ratelimiter.instances.quota.scope")
                        .contains("dev.resilience:resilience-redis").contains("spring.data.redis"));
        runner.withPropertyValues("resilience.ratelimiter.configs.shared.scope=CLUSTER").run(context ->
                assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                        .as("a shared configuration no instance uses yet")
                        .contains("resilience.ratelimiter.configs.shared.scope").contains("resilience-redis"));
    }

    @Test
    void badScopeReplicasOrFailureModeStopsStartupNamingPathValueAndWhatIsAllowed() {
        runner.withPropertyValues("resilience.ratelimiter.instances.quota.scope=clustered").run(context ->
                assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("resilience.ratelimiter.instances.quota.scope").contains("clustered")
                        .contains("[local, cluster]"));
        runner.withPropertyValues("resilience.ratelimiter.instances.quota.expected-replicas=0").run(context ->
                assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("resilience.ratelimiter.instances.quota.expected-replicas").contains("at least 1"));
        runner.withPropertyValues("resilience.ratelimiter.configs.default.on-backend-failure=allow").run(context ->
                assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                        .contains("resilience.ratelimiter.configs.default.on-backend-failure").contains("allow")
                        .contains("[local-share, reject]"));
    }

    @Test
    void runtimeChangeAcceptsWhatApplicationYmlAcceptsAndRefusesClusterWithoutTheModule() {
        runner.run(context -> {
            ResilienceEndpointWriteHandler writes = new ResilienceEndpointWriteHandler(
                    context.getBean(ResilienceEndpoint.class));

            ResponseEntity<Object> cluster = writes.change("ratelimiters", "quota",
                    Map.of("config", Map.of("scope", "cluster")));
            ResponseEntity<Object> fraction = writes.change("ratelimiters", "quota",
                    Map.of("config", Map.of("expected-replicas", 2.5)));
            ResponseEntity<Object> unknownMode = writes.change("ratelimiters", "quota",
                    Map.of("config", Map.of("on-backend-failure", "allow")));
            ResponseEntity<Object> accepted = writes.change("ratelimiters", "quota",
                    Map.of("config", Map.of("expected-replicas", 4, "on-backend-failure", "reject")));

            assertThat(cluster.getStatusCode().value()).isEqualTo(400);
            assertThat(cluster.getBody().toString()).contains("resilience.ratelimiter.instances.quota.scope")
                    .contains("resilience-redis");
            assertThat(fraction.getStatusCode().value()).isEqualTo(400);
            assertThat(unknownMode.getStatusCode().value()).isEqualTo(400);
            assertThat(accepted.getStatusCode().value()).as(String.valueOf(accepted.getBody())).isEqualTo(200);
            assertThat(context.getBean(RateLimiterRegistry.class).get("quota").getConfig())
                    .extracting(RateLimiterConfig::scope, RateLimiterConfig::expectedReplicas,
                            RateLimiterConfig::onBackendFailure)
                    .containsExactly(RateLimiterConfig.Scope.LOCAL, 4, RateLimiterConfig.OnBackendFailure.REJECT);
        });
    }

    @Test
    void clusterScopeTakesTheApplicationsOwnBackendWhateverItsBeanName() {
        CountingBackend store = new CountingBackend();
        runner.withBean("quotaStore", RateLimiterBackend.class, () -> store)
                .withPropertyValues("resilience.ratelimiter.instances.quota.scope=cluster",
                        "resilience.ratelimiter.instances.other.limit-for-period=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RateLimiterRegistry registry = context.getBean(RateLimiterRegistry.class);
                    registry.get("quota").acquirePermission();
                    assertThat(store.reserved).as("permits taken from the application's backend").hasValue(1);

                    ResponseEntity<Object> cluster = new ResilienceEndpointWriteHandler(
                            context.getBean(ResilienceEndpoint.class)).change("ratelimiters", "other",
                                    Map.of("config", Map.of("scope", "cluster")));
                    assertThat(cluster.getStatusCode().value()).as(String.valueOf(cluster.getBody())).isEqualTo(200);
                    assertThat(registry.get("other").getConfig().scope()).isEqualTo(RateLimiterConfig.Scope.CLUSTER);
                });
    }

    /** An application's own store (the SPI a team implements for its own shared store): grants every permit. */
    private static final class CountingBackend implements RateLimiterBackend {
        final AtomicInteger reserved = new AtomicInteger();

        @Override
        public Permits permits(String name, RateLimiterConfig config) {
            return new Permits() {
                @Override
                public long reserve(long maxWaitNanos) {
                    reserved.incrementAndGet();
                    return 0;
                }

                @Override
                public void release() {
                }

                @Override
                public long availablePermits() {
                    return config.limitForPeriod();
                }

                @Override
                public boolean available() {
                    return true;
                }
            };
        }
    }
}
