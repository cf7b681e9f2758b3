package dev.resilience.autoconfigure.control;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.ControlProperties;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * The control store that keeps the operator's runtime changes: in memory unless a store of another kind exists
 * ({@code resilience-redis} defines one for {@code resilience.control.store: redis}).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
public final class ResilienceControlAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ControlStore resilienceControlStore(ResilienceProperties properties) {
        if (properties.getControl().getStore() == ControlProperties.Store.REDIS) {
            throw new InvalidConfigurationPropertyValueException("resilience.control.store", "redis",
                    "the redis store needs dev.resilience:resilience-redis on the class path and a "
                            + "RedisConnectionFactory bean (Spring Data Redis); allowed: memory, redis");
        }
        return new MemoryControlStore();
    }
}
