package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RetryLater;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/** A small application with a mailer whose calls are deferred when the (simulated) mail server is down. */
@SpringBootConfiguration
@EnableAutoConfiguration
class DeferredTestApplication {

    @Bean
    @ConditionalOnMissingBean
    Recorder recorder() {
        return new Recorder();
    }

    @Bean
    @ConditionalOnProperty(name = "test.fake-time", matchIfMissing = true)
    FakeTime fakeTime() {
        return new FakeTime();
    }

    @Bean
    @ConditionalOnProperty(name = "test.fake-time", matchIfMissing = true)
    Timing resilienceTiming(FakeTime fakeTime) {
        return fakeTime.timing();
    }

    @Bean
    Mailer mailer(Recorder recorder) {
        return new Mailer(recorder);
    }

    @Bean
    Office office(Mailer mailer) {
        return new Office(mailer);
    }

    record Letter(String to, int number) {
    }

    /** Cannot be written as JSON: reading its one property fails, as a lazy proxy's might. */
    static final class Opaque {
        public String getValue() {
            throw new UnsupportedOperationException("detached");
        }
    }

    /** What the simulated mail server received, and each replay completed by any scheduler sharing it. */
    static final class Recorder extends AbstractSchedulerListener {
        volatile boolean down;
        final List<String> delivered = new ArrayList<>();
        final Map<String, AtomicInteger> deliveriesById = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        volatile long firstDeliveryNanos;
        private int completions;

        synchronized void deliver(Letter letter) {
            attempts.incrementAndGet();
            if (down) {
                throw new IllegalStateException("mail server down");
            }
            if (delivered.isEmpty()) {
                firstDeliveryNanos = System.nanoTime();
            }
            delivered.add(letter.to());
            if (DeferredCall.isReplay()) {
                deliveriesById.computeIfAbsent(DeferredCall.current().id(), id -> new AtomicInteger())
                        .incrementAndGet();
            }
        }

        synchronized List<String> delivered() {
            return List.copyOf(delivered);
        }

        final Map<String, AtomicInteger> completionsByScheduler = new ConcurrentHashMap<>();

        @Override
        public synchronized void onExecutionComplete(ExecutionComplete complete) {
            completionsByScheduler.computeIfAbsent(String.valueOf(complete.getExecution().pickedBy),
                    name -> new AtomicInteger()).incrementAndGet();
            completions++;
            notifyAll();
        }

        synchronized int completions() {
            return completions;
        }

        /** Waits (bounded) until {@code count} replays have completed in all. */
        synchronized void awaitCompletions(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (completions < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + completions + " of " + count + " replays completed within "
                            + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    static class Mailer {
        private final Recorder recorder;

        Mailer(Recorder recorder) {
            this.recorder = recorder;
        }

        @RetryLater("mail")
        public void send(Letter letter) {
            recorder.deliver(letter);
        }

        @RetryLater("urgent")
        public void sendUrgent(Letter letter) {
            recorder.deliver(letter);
        }

        @RetryLater("mail")
        @CircuitBreaker("mailserver")
        public void sendGuarded(Letter letter) {
            recorder.deliver(letter);
        }

        @RetryLater("loud")
        public void sendLoud(Letter letter) {
            recorder.deliver(letter);
        }

        @RetryLater("mail")
        public CompletionStage<Void> sendAsync(Letter letter) {
            try {
                recorder.deliver(letter);
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }

        @RetryLater("mail")
        public void sendOpaque(Opaque opaque) {
            recorder.deliver(new Letter("opaque", 0));
        }
    }

    static class Office {
        private final Mailer mailer;

        Office(Mailer mailer) {
            this.mailer = mailer;
        }

        @Transactional
        public void send(Letter letter, boolean rollBack) {
            mailer.send(letter);
            if (rollBack) {
                throw new IllegalStateException("the order failed, so the mail must not go");
            }
        }
    }
}
