package dev.resilience.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {

    private final FakeTime time = new FakeTime();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private Bulkhead bulkhead(int max, Duration wait) {
        return new Bulkhead("inventory", new BulkheadConfig(max, wait), time.timing());
    }

    @Test
    void rejectsAtOnceWhenFullAndNotWaiting() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        bulkhead.acquire();
        bulkhead.acquire();

        assertThatThrownBy(bulkhead::acquire).isInstanceOfSatisfying(BulkheadFullException.class,
                ex -> assertThat(ex.getInstanceName()).isEqualTo("inventory"));
        assertThat(bulkhead.getRejectedCalls()).isEqualTo(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

        bulkhead.release();
        bulkhead.acquire();
    }

    @Test
    void tryAcquireTakesOnlyAFreeSlotAndNeitherWaitsNorCountsARejection() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(10));

        assertThat(bulkhead.tryAcquire()).isTrue();
        assertThat(bulkhead.tryAcquire()).as("full").isFalse();

        assertThat(bulkhead.getWaitingCalls()).isZero();
        assertThat(bulkhead.getRejectedCalls()).isZero();
        bulkhead.release();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void releasesTheSlotWhenTheCallThrows() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);

        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void neverHasMoreThanTheLimitInsideUnderHeavyConcurrency() throws Exception {
        Bulkhead bulkhead = new Bulkhead("busy", new BulkheadConfig(3, Duration.ofSeconds(30)),
                Timing.system());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2_000; i++) {
                    bulkhead.call(() -> {
                        int now = inside.incrementAndGet();
                        mostInside.accumulateAndGet(now, Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                        return null;
                    });
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertThat(mostInside.get()).isBetween(1, 3);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(3);
        assertThat(bulkhead.getRejectedCalls()).isZero();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMinutes(5));
        bulkhead.acquire();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletionStage<Void> first = bulkhead.acquireAsync().thenRun(() -> order.add("first"));
        Future<?> second = pool.submit(() -> {
            bulkhead.acquire();
            order.add("second");
            bulkhead.release();
        });
        awaitWaiting(bulkhead, 2);
        CompletionStage<Void> third = bulkhead.acquireAsync().thenRun(() -> order.add("third"));

        bulkhead.release();
        first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly("first");
        bulkhead.release();
        second.get(10, TimeUnit.SECONDS);
        third.toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(order).containsExactly("first", "second", "third");
    }

    @Test
    void synchronousWaiterIsRejectedAfterTheMaximumWait() {
        Bulkhead bulkhead = new Bulkhead("slow", new BulkheadConfig(1, Duration.ofMillis(20)), Timing.system());
        bulkhead.acquire();

        assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("within PT0.02S");
        assertThat(bulkhead.getRejectedCalls()).isEqualTo(1);

        bulkhead.release();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asynchronousWaiterIsRejectedAtItsDeadline() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        bulkhead.acquire();
        CompletableFuture<Void> waiter = bulkhead.acquireAsync().toCompletableFuture();

        time.advance(Duration.ofMillis(1999));
        assertThat(waiter).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(waiter).isCompletedExceptionally();
        assertThatThrownBy(waiter::join).hasCauseInstanceOf(BulkheadFullException.class);
        bulkhead.release();
        assertThat(bulkhead.getAvailableConcurrentCalls()).as("the abandoned waiter holds no slot").isEqualTo(1);
    }

    @Test
    void anAsynchronousRejectionIsCountedBeforeTheCallerSeesIt() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        bulkhead.acquire();
        CompletableFuture<Long> countWhenAnswered = bulkhead.acquireAsync().toCompletableFuture()
                .handle((granted, failure) -> bulkhead.getRejectedCalls());

        time.advance(Duration.ofSeconds(2));

        assertThat(countWhenAnswered).isCompletedWithValue(1L);
    }

    @Test
    void cancelledWaiterLeavesTheQueueAndIsNeverGrantedASlot() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        bulkhead.acquire();
        CompletableFuture<Void> waiter = bulkhead.acquireAsync().toCompletableFuture();
        CompletableFuture<Void> next = bulkhead.acquireAsync().toCompletableFuture();

        waiter.cancel(false);

        assertThat(bulkhead.getWaitingCalls()).isEqualTo(1);
        assertThat(time.pendingTasks()).as("its deadline is called off").isEqualTo(1);
        bulkhead.release();
        assertThat(next).as("the slot goes past the cancelled waiter").isCompleted();
        bulkhead.release();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getWaitingCalls()).isZero();
    }

    @Test
    void asynchronousWaiterGetsAReleasedSlotAndItsDeadlineIsCancelled() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        bulkhead.acquire();
        CompletableFuture<Void> waiter = bulkhead.acquireAsync().toCompletableFuture();

        bulkhead.release();

        assertThat(waiter).isCompleted();
        assertThat(time.pendingTasks()).isZero();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
    }

    @Test
    void interruptedWaiterIsRejectedAndKeepsItsInterruptFlag() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMinutes(5));
        bulkhead.acquire();
        CompletableFuture<Boolean> interruptFlag = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                bulkhead.acquire();
                interruptFlag.complete(null);
            } catch (BulkheadFullException expected) {
                interruptFlag.complete(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        awaitWaiting(bulkhead, 1);

        waiter.interrupt();

        assertThat(interruptFlag.get(10, TimeUnit.SECONDS)).isTrue();
        bulkhead.release();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void raisingTheLimitAtRuntimeServesWaiters() throws Exception {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMinutes(5));
        bulkhead.acquire();
        CompletableFuture<Void> waiter = bulkhead.acquireAsync().toCompletableFuture();

        bulkhead.reconfigure(new BulkheadConfig(2, Duration.ofMinutes(5)));

        assertThat(waiter).isCompleted();
        assertThat(bulkhead.getConfig().maxConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> new BulkheadConfig(0, Duration.ZERO)).hasMessageContaining("max-concurrent-calls");
        assertThatThrownBy(() -> new BulkheadConfig(1, Duration.ofMillis(-1)))
                .hasMessageContaining("max-wait-duration");
    }

    private static void awaitWaiting(Bulkhead bulkhead, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bulkhead.getWaitingCalls() < count) {
            assertThat(System.nanoTime()).as("waiters queued in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
