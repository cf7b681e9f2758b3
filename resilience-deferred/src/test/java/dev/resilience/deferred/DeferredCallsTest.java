package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.deferred.DeferredTestApplication.Letter;
import dev.resilience.deferred.DeferredTestApplication.Mailer;
import dev.resilience.deferred.DeferredTestApplication.Office;
import dev.resilience.deferred.DeferredTestApplication.Opaque;
import dev.resilience.deferred.DeferredTestApplication.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class DeferredCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant START = new FakeTime().timing().clock().instant();

    @TempDir
    Path directory;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=jdbc:h2:file:" + directory.resolve("calls") + ";DB_CLOSE_ON_EXIT=FALSE",
                "spring.datasource.username=sa",
                "resilience.retry-later.poll-interval=100ms",
                "resilience.retry-later.instances.mail.backoff=1m",
                "resilience.retry-later.instances.mail.multiplier=2",
                "resilience.retry-later.instances.mail.max-attempts=3",
                "resilience.retry-later.instances.urgent.backoff=1m",
                "resilience.retry-later.instances.urgent.priority=10",
                "resilience.retry-later.instances.loud.backoff=1m",
                "resilience.retry-later.instances.loud.propagate-failure=true"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeferredTestApplication.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        return context;
    }

    private static void advance(ConfigurableApplicationContext context, Duration duration) {
        context.getBean(FakeTime.class).advance(duration);
        context.getBean(DeferredCallScheduler.class).checkNow();
    }

    @Test
    void storesTheFailedCallAndTheCallerReturnsNormally() {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;

        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));

        List<StoredCall> stored = context.getBean(DeferredCalls.class).list(0, 10);
        assertThat(stored).singleElement().satisfies(call -> {
            assertThat(call.instance()).isEqualTo("mail");
            assertThat(call.bean()).isEqualTo("mailer");
            assertThat(call.method()).isEqualTo("send(" + Letter.class.getName() + ")");
            assertThat(call.arguments()).contains("ada@example.com");
            assertThat(call.attempts()).isEqualTo(1);
            assertThat(call.dead()).isFalse();
            assertThat(call.firstFailure()).contains("mail server down");
            assertThat(call.firstFailedAt()).isEqualTo(START);
            assertThat(call.nextAttempt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        });
    }

    @Test
    void replaysTheStoredCallOnceTheDependencyRecoversAndTellsItsId() throws InterruptedException {
        ConfigurableApplicationContext context = start();
        Recorder recorder = context.getBean(Recorder.class);
        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        String id = context.getBean(DeferredCalls.class).list(0, 1).get(0).id();

        recorder.down = false;
        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);

        assertThat(recorder.delivered()).containsExactly("ada@example.com");
        assertThat(recorder.deliveriesById).containsOnlyKeys(id);
        assertThat(context.getBean(DeferredCalls.class).count()).isZero();
    }

    @Test
    void replaysAfterTheContextIsStoppedAndStartedAgain() throws InterruptedException {
        // Spring's test context cache pauses (stops) contexts it does not use and starts them again.
        ConfigurableApplicationContext context = start();
        Recorder recorder = context.getBean(Recorder.class);
        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        context.stop();
        context.start();

        recorder.down = false;
        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);

        assertThat(recorder.delivered()).containsExactly("ada@example.com");
    }

    @Test
    void backsOffBetweenReplaysAndKeepsTheCallDeadAfterMaxAttempts() throws InterruptedException {
        ConfigurableApplicationContext context = start();
        Recorder recorder = context.getBean(Recorder.class);
        DeferredCalls calls = context.getBean(DeferredCalls.class);
        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        String id = calls.list(0, 1).get(0).id();

        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);
        StoredCall second = calls.find(id).orElseThrow();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttempt()).isEqualTo(START.plus(Duration.ofMinutes(1 + 2)));

        advance(context, Duration.ofMinutes(2));
        recorder.awaitCompletions(2, WAIT);
        StoredCall dead = calls.find(id).orElseThrow();
        assertThat(dead.dead()).isTrue();
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.nextAttempt()).isNull();
        assertThat(dead.lastError()).contains("mail server down");
        assertThat(recorder.attempts).hasValue(3);

        recorder.down = false;
        assertThat(calls.replayNow(id)).isTrue();
        context.getBean(DeferredCallScheduler.class).checkNow();
        recorder.awaitCompletions(3, WAIT);
        assertThat(recorder.delivered()).containsExactly("ada@example.com");
        assertThat(calls.find(id)).isEmpty();
    }

    @Test
    void keepsTheCallDeadOnceMaxAgeHasPassed() throws InterruptedException {
        ConfigurableApplicationContext context = start("resilience.retry-later.instances.mail.max-age=30s",
                "resilience.retry-later.instances.mail.max-attempts=100");
        Recorder recorder = context.getBean(Recorder.class);
        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));

        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);

        StoredCall dead = context.getBean(DeferredCalls.class).list(0, 1).get(0);
        assertThat(dead.dead()).isTrue();
        assertThat(dead.attempts()).isEqualTo(2);
    }

    @Test
    void discardRemovesTheCallForGood() {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        DeferredCalls calls = context.getBean(DeferredCalls.class);
        String id = calls.list(0, 1).get(0).id();

        assertThat(calls.discard(id)).isTrue();

        assertThat(calls.find(id)).isEmpty();
        assertThat(calls.count()).isZero();
        assertThat(calls.discard(id)).isFalse();
    }

    @Test
    void replaysHigherPriorityCallsFirst() throws InterruptedException {
        ConfigurableApplicationContext context = start("resilience.retry-later.threads=1");
        Recorder recorder = context.getBean(Recorder.class);
        Mailer mailer = context.getBean(Mailer.class);
        recorder.down = true;
        IntStream.range(0, 5).forEach(i -> mailer.send(new Letter("normal" + i, i)));
        IntStream.range(0, 5).forEach(i -> mailer.sendUrgent(new Letter("urgent" + i, i)));

        recorder.down = false;
        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(10, WAIT);

        assertThat(recorder.delivered().subList(0, 5)).allMatch(to -> to.startsWith("urgent"));
        assertThat(recorder.delivered().subList(5, 10)).allMatch(to -> to.startsWith("normal"));
    }

    @Test
    void storesACallMadeInATransactionOnlyIfItCommits() {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;
        Office office = context.getBean(Office.class);

        office.send(new Letter("committed@example.com", 1), false);
        assertThatThrownBy(() -> office.send(new Letter("rolled-back@example.com", 2), true))
                .hasMessageContaining("must not go");

        assertThat(context.getBean(DeferredCalls.class).list(0, 10)).singleElement()
                .satisfies(call -> assertThat(call.arguments()).contains("committed@example.com"));
    }

    @Test
    void aRestartOnTheSameDatabaseDeliversEveryCallExactlyOnce() throws InterruptedException {
        ConfigurableApplicationContext before = start();
        before.getBean(Recorder.class).down = true;
        IntStream.range(0, 20).forEach(i -> before.getBean(Mailer.class).send(new Letter("to" + i, i)));
        before.close();

        ConfigurableApplicationContext after = start();
        Recorder recorder = after.getBean(Recorder.class);
        advance(after, Duration.ofMinutes(1));
        recorder.awaitCompletions(20, WAIT);

        assertThat(recorder.delivered()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 20).mapToObj(i -> "to" + i).toList());
        assertThat(recorder.deliveriesById).hasSize(20).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(after.getBean(DeferredCalls.class).count()).isZero();
    }

    @Test
    void postponesTheReplayWithoutSpendingAnAttemptWhileTheBreakerIsOpen() throws InterruptedException {
        ConfigurableApplicationContext context = start();
        Recorder recorder = context.getBean(Recorder.class);
        DeferredCalls calls = context.getBean(DeferredCalls.class);
        var breaker = context.getBean(CircuitBreakerRegistry.class).get("mailserver");
        breaker.transitionToForcedOpen();
        context.getBean(Mailer.class).sendGuarded(new Letter("ada@example.com", 1));
        String id = calls.list(0, 1).get(0).id();
        assertThat(calls.find(id).orElseThrow().firstFailure()).contains("CircuitBreakerOpenException");

        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);
        StoredCall postponed = calls.find(id).orElseThrow();
        assertThat(postponed.attempts()).isEqualTo(1);
        assertThat(postponed.dead()).isFalse();
        assertThat(postponed.nextAttempt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(recorder.attempts).hasValue(0);

        breaker.transitionToClosed();
        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(2, WAIT);
        assertThat(recorder.delivered()).containsExactly("ada@example.com");
    }

    @Test
    void aCallPostponedByAnOpenBreakerIsStillKeptAsDeadOnceMaxAgeHasPassed() throws InterruptedException {
        ConfigurableApplicationContext context = start("resilience.retry-later.instances.mail.max-age=30s");
        context.getBean(CircuitBreakerRegistry.class).get("mailserver").transitionToForcedOpen();
        context.getBean(Mailer.class).sendGuarded(new Letter("ada@example.com", 1));

        advance(context, Duration.ofMinutes(1));
        context.getBean(Recorder.class).awaitCompletions(1, WAIT);

        StoredCall dead = context.getBean(DeferredCalls.class).list(0, 1).get(0);
        assertThat(dead.dead()).isTrue();
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("CircuitBreakerOpenException");
    }

    @Test
    void deferredCompletionStageCompletesNormallyAndIsReplayed() throws Exception {
        ConfigurableApplicationContext context = start();
        Recorder recorder = context.getBean(Recorder.class);
        recorder.down = true;

        assertThat(context.getBean(Mailer.class).sendAsync(new Letter("ada@example.com", 1)).toCompletableFuture()
                .get()).isNull();
        assertThat(context.getBean(DeferredCalls.class).count()).isOne();

        recorder.down = false;
        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(1, WAIT);
        assertThat(recorder.delivered()).containsExactly("ada@example.com");
    }

    @Test
    void theCallerGetsTheFailureWhenConfiguredAndTheCallIsStoredAnyway() {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;

        assertThatThrownBy(() -> context.getBean(Mailer.class).sendLoud(new Letter("ada@example.com", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("mail server down");

        assertThat(context.getBean(DeferredCalls.class).list(0, 1)).singleElement()
                .satisfies(call -> assertThat(call.instance()).isEqualTo("loud"));
    }

    @Test
    void aCallTheDatabaseRefusesFailsLoudlyWithTheOriginalFailureAttached() throws Exception {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;
        try (var connection = context.getBean(javax.sql.DataSource.class).getConnection();
                var statement = connection.createStatement()) {
            statement.execute("drop table resilience_deferred_calls");
        }

        assertThatThrownBy(() -> context.getBean(Mailer.class).send(new Letter("ada@example.com", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not store the failed call of mailer.send")
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).singleElement()
                        .satisfies(original -> assertThat(original).hasMessage("mail server down")));
    }

    @Test
    void aCallWhoseArgumentsCannotBeStoredFailsLoudlyAtStoreTime() {
        ConfigurableApplicationContext context = start();
        context.getBean(Recorder.class).down = true;

        assertThatThrownBy(() -> context.getBean(Mailer.class).sendOpaque(new Opaque()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not store the failed call of mailer.sendOpaque")
                .hasMessageContaining("argument 0");
        assertThat(context.getBean(DeferredCalls.class).count()).isZero();
    }
}
