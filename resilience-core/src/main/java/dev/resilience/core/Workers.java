package dev.resilience.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Executors for calls that run apart from their caller, such as synchronous calls under a timeout. */
public final class Workers {

    private Workers() {
    }

    /**
     * A virtual thread per task on JDK 21 and later; on older JDKs a cached pool of daemon threads, which reuses
     * idle threads.
     */
    public static ExecutorService forTimeouts() {
        return forTimeouts(true);
    }

    /**
     * A virtual thread per task when {@code virtualThreads} is requested and the JDK has them (21 and later);
     * otherwise a cached pool of platform daemon threads named {@code resilience-timeout-N}, which reuses idle
     * threads.
     */
    public static ExecutorService forTimeouts(boolean virtualThreads) {
        if (virtualThreads) {
            try {
                Method virtual = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
                return (ExecutorService) virtual.invoke(null);
            } catch (ReflectiveOperationException olderJdk) {
                // falls through to platform threads
            }
        }
        AtomicInteger count = new AtomicInteger();
        return Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "resilience-timeout-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
