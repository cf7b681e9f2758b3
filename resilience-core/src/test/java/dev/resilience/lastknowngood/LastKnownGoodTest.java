package dev.resilience.lastknowngood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceContext;
import dev.resilience.core.FakeTime;
import dev.resilience.core.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class LastKnownGoodTest {

    private final FakeTime time = new FakeTime();
    private final Map<Object, StoredAnswer> entries = new ConcurrentHashMap<>();
    private final AnswerStore map = new AnswerStore() {
        @Override
        public StoredAnswer get(Object key) {
            return entries.get(key);
        }

        @Override
        public void put(Object key, StoredAnswer answer) {
            entries.put(key, answer);
        }
    };

    private LastKnownGood lastKnownGood(LastKnownGoodConfig config, AnswerStore store) {
        return new LastKnownGood("prices", config, store, time.timing());
    }

    @Test
    void servesTheStoredAnswerWhileYoungerThanMaxStaleness() {
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults().withMaxStaleness(Duration.ofMinutes(5)), map);
        prices.store("apple", 42);
        time.advance(Duration.ofMinutes(4));

        LastKnownGood.Served served = prices.recover("apple", new IOException("down"));

        assertThat(served.value()).isEqualTo(42);
        assertThat(served.age()).isEqualTo(Duration.ofMinutes(4));
        assertThat(prices.getStoredCalls()).isEqualTo(1);
        assertThat(prices.getServedCalls()).isEqualTo(1);
    }

    @Test
    void doesNotServeAnAnswerAsOldAsMaxStaleness() {
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults().withMaxStaleness(Duration.ofMinutes(5)), map);
        prices.store("apple", 42);
        time.advance(Duration.ofMinutes(5));

        assertThat(prices.recover("apple", new IOException("down"))).isNull();
        assertThat(prices.getTooOldCalls()).isEqualTo(1);
    }

    @Test
    void countsAMissForAKeyWithoutAnswer() {
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults(), map);
        prices.store("apple", 42);

        assertThat(prices.recover("pear", new IOException("down"))).isNull();
        assertThat(prices.getMissedCalls()).isEqualTo(1);
    }

    @Test
    void skipOnFailuresAreNotAnsweredNorCounted() {
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults()
                .withSkipOn(List.of(IllegalArgumentException.class)), map);
        prices.store("apple", 42);

        assertThat(prices.recover("apple", new IllegalArgumentException("bad sku"))).isNull();
        assertThat(prices.recover("apple", new Error("not an Exception"))).as("apply-on defaults to Exception").isNull();
        assertThat(prices.getMissedCalls() + prices.getTooOldCalls() + prices.getServedCalls()).isZero();
    }

    @Test
    void aFailingStoreNeverFailsTheCall() {
        AnswerStore down = new AnswerStore() {
            @Override
            public StoredAnswer get(Object key) {
                throw new UncheckedIOException(new IOException("cache store down"));
            }

            @Override
            public void put(Object key, StoredAnswer answer) {
                throw new UncheckedIOException(new IOException("cache store down"));
            }
        };
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults(), down);

        prices.store("apple", 42);

        assertThat(prices.recover("apple", new IOException("down"))).isNull();
        assertThat(prices.getStoreFailures()).isEqualTo(2);
        assertThat(prices.getStoredCalls()).isZero();
    }

    @Test
    void storedAnswersSurviveSerialization() throws Exception {
        StoredAnswer answer = new StoredAnswer(List.of("a", "b"), Instant.parse("2026-12-04T10:00:00Z").toEpochMilli());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(answer);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(answer);
        }
    }

    @Test
    void badConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> LastKnownGoodConfig.defaults().withMaxStaleness(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("max-staleness");
        assertThatThrownBy(() -> LastKnownGoodConfig.defaults().withMaximumSize(0))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("maximum-size");
        assertThatThrownBy(() -> LastKnownGoodConfig.defaults().withCacheName(" "))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("cache-name");
    }

    @Test
    void publishesServedAndTooOldAnswersWithTheFailure() {
        LastKnownGood prices = lastKnownGood(LastKnownGoodConfig.defaults().withMaxStaleness(Duration.ofMinutes(5)), map);
        List<String> events = new java.util.ArrayList<>();
        prices.setEventSink((kind, name, type, detail) -> events.add(kind + " " + name + " " + type + " " + detail));
        prices.store("apple", 42);
        IOException down = new IOException("down");

        prices.recover("apple", down);
        time.advance(Duration.ofMinutes(5));
        prices.recover("apple", down);

        assertThat(events).containsExactly("lastknowngood prices SERVED_STALE " + down,
                "lastknowngood prices TOO_OLD " + down);
    }

    @Test
    void aThreadThatMadeNoCallReadsLive() throws Exception {
        ResilienceContext.LastCall[] seen = new ResilienceContext.LastCall[1];
        Thread thread = new Thread(() -> seen[0] = ResilienceContext.lastCall());
        thread.start();
        thread.join(10_000);

        assertThat(seen[0]).isEqualTo(ResilienceContext.LastCall.LIVE);
        assertThat(seen[0].servedStale()).isFalse();
        assertThat(seen[0].staleAge()).isZero();
    }
}
