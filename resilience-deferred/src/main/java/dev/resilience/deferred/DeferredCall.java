package dev.resilience.deferred;

/**
 * The stored call being replayed, for the replayed method itself: delivery is at least once (a replica that dies
 * after the method succeeded but before the call was removed makes another replica replay it), so a receiver that
 * must act once de-duplicates by {@link #id()}.
 *
 * <pre>{@code
 * @RetryLater("notifications")
 * public void send(Notification notification) {
 *     String key = DeferredCall.isReplay() ? DeferredCall.current().id() : UUID.randomUUID().toString();
 *     mail.send(notification, key);
 * }
 * }</pre>
 *
 * <p>Set on the replaying thread for the duration of the method's synchronous part.
 *
 * @param id the stored call's id, the same on every replay of it
 * @param instance the {@code @RetryLater} instance name
 * @param attempt which attempt this is: 2 for the first replay (the original call was the first)
 */
public record DeferredCall(String id, String instance, int attempt) {

    private static final ThreadLocal<Replay> CURRENT = new ThreadLocal<>();

    /** Whether the current thread is replaying a stored call. */
    public static boolean isReplay() {
        return CURRENT.get() != null;
    }

    /**
     * The stored call this thread replays.
     *
     * @throws IllegalStateException outside a replay (the original call has no id yet: it is stored only if it fails)
     */
    public static DeferredCall current() {
        Replay replay = CURRENT.get();
        if (replay == null) {
            throw new IllegalStateException("DeferredCall.current() is only set while a stored call is replayed; "
                    + "check DeferredCall.isReplay() first");
        }
        return replay.call;
    }

    /** Runs {@code action} as the replay of {@code call}. */
    static <T> T replay(DeferredCall call, ReplayAction<T> action) throws Throwable {
        Replay previous = CURRENT.get();
        CURRENT.set(new Replay(call));
        try {
            return action.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Whether the interceptor is entered by the replay itself (the first {@code @RetryLater} call on this thread since
     * the replay began), which must run rather than be stored again; a nested {@code @RetryLater} call made by the
     * replayed method is an ordinary call.
     */
    static boolean enterReplay() {
        Replay replay = CURRENT.get();
        if (replay == null || replay.entered) {
            return false;
        }
        replay.entered = true;
        return true;
    }

    /** Work run during a replay. */
    @FunctionalInterface
    interface ReplayAction<T> {
        T run() throws Throwable;
    }

    private static final class Replay {
        final DeferredCall call;
        boolean entered;

        Replay(DeferredCall call) {
            this.call = call;
        }
    }
}
