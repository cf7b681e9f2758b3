package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceContext;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.testing.RealServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Caching;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.impl.config.persistence.CacheManagerPersistenceConfiguration;
import org.ehcache.jsr107.EhcacheCachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;

/**
 * Answers kept in an application's own serializing, shared or persistent cache: Redis through Boot's cache
 * auto-configuration (default JDK serialization), and Ehcache 3 with a persistent disk tier through JCache. Each
 * "replica" or "restart" is a fresh application context; the entry's store time travels with it.
 */
class LastKnownGoodPersistenceTest {

    private final FakeTime time = new FakeTime();

    private final String prefix = "lkg-test-" + UUID.randomUUID() + ":";

    private final ApplicationContextRunner redisApp = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    CacheAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withUserConfiguration(WithCaching.class)
            .withBean(Timing.class, time::timing)
            .withBean(Quotes.class, Quotes::new)
            .withPropertyValues("spring.cache.type=redis", "spring.data.redis.host=" + RealServices.HOST,
                    "spring.data.redis.port=" + RealServices.REDIS_PORT, "spring.cache.redis.key-prefix=" + prefix,
                    "spring.cache.redis.time-to-live=1h",
                    "resilience.last-known-good.instances.quotes.max-staleness=10m");

    private boolean redisReachable;

    @AfterEach
    void deleteThisRunsKeys() {
        if (!redisReachable) {
            return;
        }
        RedisClient client = RedisClient.create("redis://" + RealServices.HOST + ":" + RealServices.REDIS_PORT);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    private void requireRedis() {
        RealServices.redis();
        redisReachable = true;
    }

    @Test
    void aReplicaAnswersStaleFromWhatAnotherStoredInRedis() {
        requireRedis();
        redisApp.run(first -> {
            assertThat(first).hasNotFailed();
            assertThat(first.getBean(org.springframework.cache.CacheManager.class))
                    .isInstanceOf(RedisCacheManager.class);
            assertThat(first.getBean(Quotes.class).quote("apple")).isEqualTo(Quote.of("apple", "5.10"));
        });
        time.advance(Duration.ofMinutes(4));

        redisApp.run(second -> {
            Quotes quotes = second.getBean(Quotes.class);
            quotes.failing().set(true);

            assertThat(quotes.quote("apple")).as("the first replica's answer, deserialized")
                    .isEqualTo(Quote.of("apple", "5.10"));
            assertThat(ResilienceContext.lastCall().servedStale()).isTrue();
            assertThat(ResilienceContext.lastCall().staleAge()).as("from the stored time, not the replica's start")
                    .isEqualTo(Duration.ofMinutes(4));
            assertThatThrownBy(() -> quotes.quote("pear")).hasMessage("quotes down");
        });
    }

    @Test
    void stalenessComesFromTheStoredTimeNotFromRedisExpiry() {
        requireRedis();
        redisApp.run(context -> {
            Quotes quotes = context.getBean(Quotes.class);
            quotes.quote("apple");
            quotes.failing().set(true);

            time.advance(Duration.ofMinutes(9));
            assertThat(quotes.quote("apple")).isEqualTo(Quote.of("apple", "5.10"));

            time.advance(Duration.ofMinutes(1));
            assertThat(context.getBean(RedisCacheManager.class).getCache("quotes").get("apple"))
                    .as("Redis still holds it: its time-to-live is an hour").isNotNull();
            assertThatThrownBy(() -> quotes.quote("apple")).as("but it is 10 minutes old").hasMessage("quotes down");
        });
    }

    @Test
    void aRestartOnTheSameEhcacheDiskStoreStillAnswersStale(@TempDir Path disk) {
        ApplicationContextRunner ehcacheApp = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
                        ResilienceAutoConfiguration.class))
                .withUserConfiguration(EhcacheOnDisk.class)
                .withBean(Timing.class, time::timing)
                .withBean(Quotes.class, Quotes::new)
                .withPropertyValues("test.ehcache.directory=" + disk,
                        "resilience.last-known-good.instances.quotes.max-staleness=10m");
        ehcacheApp.run(before -> {
            assertThat(before).hasNotFailed();
            before.getBean(Quotes.class).quote("apple");
        });
        time.advance(Duration.ofMinutes(2));

        ehcacheApp.run(after -> {
            Quotes quotes = after.getBean(Quotes.class);
            quotes.failing().set(true);

            assertThat(quotes.quote("apple")).isEqualTo(Quote.of("apple", "5.10"));
            assertThat(ResilienceContext.lastCall().staleAge()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    /** A user's value type: serializable, as Redis's and Ehcache's default serializers need. */
    record Quote(String sku, BigDecimal price) implements Serializable {
        static Quote of(String sku, String price) {
            return new Quote(sku, new BigDecimal(price));
        }
    }

    static class Quotes {
        private final AtomicBoolean failing = new AtomicBoolean();

        AtomicBoolean failing() { // through the proxy: its own fields are not the bean's
            return failing;
        }

        @LastKnownGood("quotes")
        public Quote quote(String sku) {
            if (failing.get()) {
                throw new IllegalStateException("quotes down");
            }
            return Quote.of(sku, "5.10");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class WithCaching {
    }

    /** The application's JCache manager: Ehcache with a persistent disk tier, closed with the context. */
    @Configuration(proxyBeanMethods = false)
    static class EhcacheOnDisk {
        @Bean
        javax.cache.CacheManager jcacheManager(@Value("${test.ehcache.directory}") Path directory) {
            EhcacheCachingProvider provider = (EhcacheCachingProvider) Caching.getCachingProvider(
                    EhcacheCachingProvider.class.getName());
            org.ehcache.config.Configuration configuration = ConfigurationBuilder.newConfigurationBuilder()
                    .withService(new CacheManagerPersistenceConfiguration(directory.toFile()))
                    .withCache("quotes", CacheConfigurationBuilder.newCacheConfigurationBuilder(Serializable.class,
                            Serializable.class, ResourcePoolsBuilder.heap(100).disk(5, MemoryUnit.MB, true)))
                    .build();
            return provider.getCacheManager(directory.toUri(), configuration);
        }

        @Bean
        JCacheCacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
            return new JCacheCacheManager(jcacheManager);
        }
    }
}
