package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceContext;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.lastknowngood.AnswerStore;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.lastknowngood.StoredAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import reactor.core.publisher.Mono;

/** {@code @LastKnownGood} on real proxied beans, with fake time: what is stored, what is served, and where. */
class LastKnownGoodBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Prices.class, Prices::new)
            .withPropertyValues("resilience.last-known-good.configs.default.max-staleness=10m",
                    "resilience.last-known-good.instances.early.before-fallback=true",
                    "resilience.last-known-good.instances.strict.skip-on=java.lang.IllegalArgumentException");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static dev.resilience.lastknowngood.LastKnownGood instance(AssertableApplicationContext context,
            String name) {
        return context.getBean(LastKnownGoodRegistry.class).get(name);
    }

    @Test
    void storesOnlySuccessfulResults() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.failing().set(true);

            assertThatThrownBy(() -> prices.price("apple")).hasMessage("prices down");
            assertThat(instance(context, "prices").getStoredCalls()).isZero();
            assertThat(instance(context, "prices").getMissedCalls()).isEqualTo(1);

            prices.failing().set(false);
            assertThat(prices.price("apple")).isEqualTo(5);
            assertThat(instance(context, "prices").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void servesTheStoredResultOnlyWithinMaxStaleness() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.failing().set(true);

            time.advance(Duration.ofMinutes(9));
            assertThat(prices.price("apple")).isEqualTo(5);

            time.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> prices.price("apple")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("prices down");
            assertThat(instance(context, "prices").getServedCalls()).isEqualTo(1);
            assertThat(instance(context, "prices").getTooOldCalls()).isEqualTo(1);
            assertThat(context.getBean(RecentEvents.class).list()).extracting(RecentEvents.Event::type)
                    .containsExactly("SERVED_STALE", "TOO_OLD");
        });
    }

    @Test
    void keepsEachKeysAnswerApart() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.price("pear");
            prices.failing().set(true);

            assertThat(prices.price("apple")).isEqualTo(5);
            assertThat(prices.price("pear")).isEqualTo(4);
            assertThatThrownBy(() -> prices.price("plum")).hasMessage("prices down");
        });
    }

    @Test
    void keyExpressionChoosesWhichArgumentsCount() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            assertThat(prices.quote("apple", 1)).isEqualTo(5);
            prices.failing().set(true);

            assertThat(prices.quote("apple", 2)).as("the key is the sku alone").isEqualTo(5);
            assertThatThrownBy(() -> prices.quote("pear", 1)).hasMessage("prices down");

            prices.failing().set(false);
            assertThat(prices.quoteByName("apple", 1)).isEqualTo(5);
            prices.failing().set(true);
            assertThat(prices.quoteByName("apple", 3)).as("#root.args and #sku name the same").isEqualTo(5);
        });
    }

    @Test
    void tellsTheCallerWhenTheAnswerIsStaleAndHowOld() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            assertThat(ResilienceContext.lastCall().servedStale()).isFalse();

            prices.failing().set(true);
            time.advance(Duration.ofMinutes(3));
            prices.price("apple");
            assertThat(ResilienceContext.lastCall().servedStale()).isTrue();
            assertThat(ResilienceContext.lastCall().staleAge()).isEqualTo(Duration.ofMinutes(3));

            prices.failing().set(false);
            prices.price("apple");
            assertThat(ResilienceContext.lastCall()).isEqualTo(ResilienceContext.LastCall.LIVE);
            assertThat(ResilienceContext.lastCall().staleAge()).isZero();
        });
    }

    @Test
    void neverStoresAFallbacksAnswer() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.failing().set(true);
            assertThat(prices.withFallback("apple")).as("the fallback answers").isEqualTo(-1);
            assertThat(instance(context, "late").getStoredCalls()).isZero();

            prices.failing().set(false);
            assertThat(prices.withFallback("apple")).isEqualTo(5);
            prices.failing().set(true);
            assertThat(prices.withFallback("apple")).as("the fallback answers before the store").isEqualTo(-1);
            assertThat(ResilienceContext.lastCall().servedStale()).isFalse();

            prices.fallbackFailing().set(true);
            assertThat(prices.withFallback("apple")).as("the store answers after the fallback failed").isEqualTo(5);
            assertThat(ResilienceContext.lastCall().servedStale()).isTrue();
            assertThat(instance(context, "late").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void neverStoresItsOwnAnswer() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.failing().set(true);
            prices.price("apple");
            prices.price("apple");

            assertThat(instance(context, "prices").getStoredCalls()).isEqualTo(1);
            assertThat(instance(context, "prices").getServedCalls()).isEqualTo(2);
        });
    }

    @Test
    void beforeFallbackTriesTheStoreFirst() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.earlyStore("apple");
            prices.failing().set(true);

            assertThat(prices.earlyStore("apple")).as("stored answer before the fallback").isEqualTo(5);
            assertThat(prices.fallbackCalls()).hasValue(0);
            assertThat(prices.earlyStore("pear")).as("nothing stored: the fallback answers").isEqualTo(-1);
            assertThat(prices.fallbackCalls()).hasValue(1);
            assertThat(instance(context, "early").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void skipOnFailuresPropagate() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.strict("apple");
            prices.failing().set(true);

            assertThat(prices.strict("apple")).isEqualTo(5);
            prices.failure().set(new IllegalArgumentException("bad sku"));
            assertThatThrownBy(() -> prices.strict("apple")).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void storesACompletedStageAndAnswersAFailedOne() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            assertThat(prices.async("apple").join()).isEqualTo(5);
            prices.failing().set(true);

            assertThat(prices.async("apple").join()).isEqualTo(5);
            assertThat(prices.async("pear")).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingRootCause().withMessage("prices down");
            assertThat(instance(context, "async").getStoredCalls()).isEqualTo(1);
            assertThat(instance(context, "async").getServedCalls()).isEqualTo(1);
        });
    }

    @Test
    void storesAMonosValueAndAnswersItsFailure() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            Mono<Integer> apple = prices.mono("apple");
            assertThat(instance(context, "mono").getStoredCalls()).as("nothing before subscription").isZero();
            assertThat(apple.block()).isEqualTo(5);
            prices.failing().set(true);

            assertThat(prices.mono("apple").block()).isEqualTo(5);
            assertThatThrownBy(() -> prices.mono("pear").block()).hasMessageContaining("prices down");
            assertThat(instance(context, "mono").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void usesTheApplicationsCacheManagerWhenItHasOne() {
        ConcurrentMapCacheManager applications = new ConcurrentMapCacheManager();
        runner.withBean(CacheManager.class, () -> applications).run(context -> {
            assertThat(context).hasNotFailed();
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");

            assertThat(applications.getCache("prices").get("apple").get()).isInstanceOfSatisfying(StoredAnswer.class,
                    answer -> assertThat(answer.value()).isEqualTo(5));
        });
    }

    @Test
    void answersRoundTripThroughASerializingCache() {
        ConcurrentMapCacheManager serializing = new ConcurrentMapCacheManager();
        serializing.setStoreByValue(true);
        runner.withBean(CacheManager.class, () -> serializing).run(context -> {
            assertThat(context).hasNotFailed();
            Prices prices = context.getBean(Prices.class);
            prices.price("apple");
            prices.failing().set(true);
            time.advance(Duration.ofMinutes(2));

            assertThat(prices.price("apple")).isEqualTo(5);
            assertThat(ResilienceContext.lastCall().staleAge()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void neverStoresAnAsynchronousFallbacksAnswer() {
        run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.failing().set(true);
            assertThat(prices.asyncWithFallback("apple").join()).isEqualTo(-1);
            assertThat(instance(context, "asyncLate").getStoredCalls()).isZero();

            prices.failing().set(false);
            assertThat(prices.asyncWithFallback("apple").join()).isEqualTo(5);
            prices.failing().set(true);
            prices.fallbackFailing().set(true);
            assertThat(prices.asyncWithFallback("apple").join()).as("the store answers after the fallback failed")
                    .isEqualTo(5);
            assertThat(instance(context, "asyncLate").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void aReplacedRegistryIsTheOneCallsUse() {
        Map<Object, StoredAnswer> mine = new ConcurrentHashMap<>();
        AnswerStore store = new AnswerStore() {
            @Override
            public StoredAnswer get(Object key) {
                return mine.get(key);
            }

            @Override
            public void put(Object key, StoredAnswer answer) {
                mine.put(key, answer);
            }
        };
        runner.withBean(LastKnownGoodRegistry.class, () -> new LastKnownGoodRegistry(
                name -> LastKnownGoodConfig.defaults(), (name, config) -> store, time.timing())).run(context -> {
                    assertThat(context).hasNotFailed();
                    Prices prices = context.getBean(Prices.class);
                    prices.price("apple");

                    assertThat(mine).containsKey("apple");
                });
    }

    @Test
    void aCacheNameTheApplicationsCacheManagerLacksStopsStartup() {
        runner.withBean(CacheManager.class, () -> new ConcurrentMapCacheManager("other"))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("has no cache named"));
    }

    @Test
    void aBadValueStopsStartupNamingTheProperty() {
        runner.withPropertyValues("resilience.last-known-good.instances.prices.max-staleness=0s")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining(
                        "resilience.last-known-good.instances.prices.max-staleness"));
        runner.withPropertyValues("resilience.last-known-good.instances.prices.maximum-size=0")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining(
                        "resilience.last-known-good.instances.prices.maximum-size"));
    }

    @Test
    void aMisspeltKeyStopsStartupNamingIt() {
        runner.withPropertyValues("resilience.last-known-good.instances.prices.max-stalenes=5m")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining(
                        "resilience.last-known-good.instances.prices.max-stalenes"));
    }

    static class Prices {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicBoolean fallbackFailing = new AtomicBoolean();
        final AtomicInteger fallbackCalls = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>(new IllegalStateException("prices down"));
        private final Map<String, Integer> catalogue = new ConcurrentHashMap<>(Map.of("apple", 5, "pear", 4,
                "plum", 3));

        AtomicBoolean failing() {
            return failing;
        }

        AtomicBoolean fallbackFailing() {
            return fallbackFailing;
        }

        AtomicInteger fallbackCalls() {
            return fallbackCalls;
        }

        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure() {
            return failure;
        }

        private int lookUp(String sku) {
            if (failing.get()) {
                throw failure.get();
            }
            return catalogue.get(sku);
        }

        @LastKnownGood("prices")
        public int price(String sku) {
            return lookUp(sku);
        }

        @LastKnownGood(value = "quotes", key = "#p0")
        public int quote(String sku, int quantity) {
            return lookUp(sku);
        }

        @LastKnownGood(value = "quotesByName", key = "#sku + '/' + #root.args[0].length()")
        public int quoteByName(String sku, int quantity) {
            return lookUp(sku);
        }

        @LastKnownGood("late")
        @Fallback("fallbackPrice")
        public int withFallback(String sku) {
            return lookUp(sku);
        }

        @LastKnownGood("early")
        @Fallback("fallbackPrice")
        public int earlyStore(String sku) {
            return lookUp(sku);
        }

        int fallbackPrice(String sku) {
            fallbackCalls.incrementAndGet();
            if (fallbackFailing.get()) {
                throw new UncheckedIOException(new IOException("fallback down"));
            }
            return -1;
        }

        @LastKnownGood("strict")
        public int strict(String sku) {
            return lookUp(sku);
        }

        @LastKnownGood("async")
        public CompletableFuture<Integer> async(String sku) {
            return CompletableFuture.supplyAsync(() -> lookUp(sku));
        }

        @LastKnownGood("asyncLate")
        @Fallback("fallbackPrice")
        public CompletableFuture<Integer> asyncWithFallback(String sku) {
            return CompletableFuture.supplyAsync(() -> lookUp(sku));
        }

        @LastKnownGood("mono")
        public Mono<Integer> mono(String sku) {
            return Mono.fromSupplier(() -> lookUp(sku));
        }
    }
}
