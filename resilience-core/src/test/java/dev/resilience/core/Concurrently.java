package dev.resilience.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lines threads up on one latch, releases them together and waits for all of them, bounded; for tests of races.
 */
public final class Concurrently {

    /** What each thread runs; {@code thread} is its index. */
    @FunctionalInterface
    public interface Body {
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Runs {@code body} on {@code threads} threads released at once, and rethrows the first failure.
     *
     * @throws TimeoutException when they have not all finished within {@code seconds}
     */
    public static void run(int threads, long seconds, Body body) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    body.run(thread);
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            if (!ready.await(seconds, TimeUnit.SECONDS)) {
                throw new TimeoutException("threads did not start within " + seconds + " s");
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
