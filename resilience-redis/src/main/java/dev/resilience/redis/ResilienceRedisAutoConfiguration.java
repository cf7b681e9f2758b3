package dev.resilience.redis;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.autoconfigure.control.ResilienceControlAutoConfiguration;
import dev.resilience.autoconfigure.properties.ResilienceProperties;
import dev.resilience.core.Timing;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@code resilience.control.store: redis}: the operator's runtime changes kept in the application's Redis
 * ({@link RedisConnectionFactory}, {@code spring.data.redis.*}) and shared with every application on it.
 */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class},
        before = ResilienceControlAutoConfiguration.class)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "resilience.control.store", havingValue = "redis")
public final class ResilienceRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ControlStore.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    RedisControlStore resilienceControlStore(RedisConnectionFactory connections, ResilienceProperties properties,
            Timing timing) {
        Duration interval = properties.getControl().getReconcileInterval();
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new InvalidConfigurationPropertyValueException("resilience.control.reconcile-interval", interval,
                    "must be a positive duration, e.g. 5s");
        }
        return new RedisControlStore(connections, properties.getControl().getKeyPrefix(),
                properties.getControl().getReconcileInterval(), timing);
    }

    /** {@code resilience.control.store.available}: 1 while the store is reachable, else 0. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class ControlStoreMeters {

        @Bean
        @ConditionalOnMissingBean(name = "resilienceControlStoreMeters")
        MeterBinder resilienceControlStoreMeters(ObjectProvider<ControlStore> store) {
            return registry -> store.ifAvailable(found -> Gauge.builder("resilience.control.store.available", found,
                            s -> s.available() ? 1 : 0)
                    .description("1 while the control store (Redis) is reachable, else 0").register(registry));
        }
    }
}
