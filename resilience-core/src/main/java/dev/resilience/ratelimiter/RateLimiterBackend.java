package dev.resilience.ratelimiter;

/**
 * Where {@link RateLimiterConfig.Scope#CLUSTER cluster} rate limiters take their permits: a store shared by every
 * application (the {@code resilience-redis} module provides one on Redis). An SPI: the limiter asks for its
 * {@link Permits} when it is built or reconfigured, never per call.
 */
public interface RateLimiterBackend {

    /** The shared permits of limiter {@code name} under {@code config}. */
    Permits permits(String name, RateLimiterConfig config);

    /** One shared limit. */
    interface Permits {

        /**
         * Takes a permit now, or reserves one of a later period if it comes within {@code maxWaitNanos}.
         *
         * @return how long to wait before calling (0 to call at once), or {@link RateLimiter#REJECTED}
         * @throws Unavailable when the store cannot be reached; the limiter then falls back as configured
         */
        long reserve(long maxWaitNanos);

        /** Gives back a permit {@link #reserve} handed out for a call that was never made; best effort. */
        void release();

        /** Permits left in the current period, as the store says; {@code Unavailable} when it cannot be reached. */
        long availablePermits();

        /** Whether the store was reachable at the last attempt. */
        boolean available();
    }

    /** The store cannot be reached. Carries no stack trace: it is thrown per call while the store is down. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
