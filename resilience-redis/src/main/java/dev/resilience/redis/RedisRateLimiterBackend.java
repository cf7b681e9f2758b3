package dev.resilience.redis;

import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterBackend;
import dev.resilience.ratelimiter.RateLimiterConfig;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * {@code scope: cluster} rate limiters on Redis, through Bucket4j's Lettuce proxy manager (its compare-and-swap
 * scripts; nothing of our own runs in Redis). One token bucket per limiter name and limit, at
 * {@code resilience:ratelimiter:<name>:<limit>-per-<period>}: {@code limit-for-period} tokens refilled at once at
 * each period boundary of the wall clock (periods aligned to the epoch, so every application counts the same
 * periods), expiring from Redis once it would be full again.
 *
 * <p>Concurrent calls of one application are merged into one Redis request (Bucket4j's batching optimization,
 * which keeps the limit exact). A Redis request that fails or takes longer than the request timeout marks the
 * store unreachable: from then on calls do not touch Redis and fall back as each limiter's
 * {@code on-backend-failure} says, until a background check (every {@link #RECHECK}) reaches Redis again. Both
 * transitions are logged once. The connection is made when the first cluster limiter is created (at startup for
 * configured ones), never for local ones.
 */
public final class RedisRateLimiterBackend implements RateLimiterBackend, DisposableBean {

    /** How often an unreachable store is tried again. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiterBackend.class);
    private static final String KEY_PREFIX = "resilience:ratelimiter:";
    private static final Unavailable UNAVAILABLE = new Unavailable("Redis is unreachable");
    /** How long a bucket stays in Redis after it would be full again. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    private final Supplier<AbstractRedisClient> client;
    private final Duration requestTimeout;
    private final Timing timing;
    private final TimeMeter wallClock;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "resilience-ratelimiter-redis");
        thread.setDaemon(true);
        return thread;
    });
    private final Object connecting = new Object();
    private volatile ProxyManager<byte[]> proxies;
    private StatefulConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    /**
     * @param client the application's Lettuce client (standalone, sentinel or cluster), asked for at the first
     *     cluster limiter
     * @param requestTimeout how long a call waits for Redis before the store counts as unreachable
     */
    public RedisRateLimiterBackend(Supplier<AbstractRedisClient> client, Duration requestTimeout, Timing timing) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.timing = timing;
        this.wallClock = new ClockMeter(timing.clock());
    }

    /** How long a call waits for Redis before the store counts as unreachable. */
    Duration requestTimeout() {
        return requestTimeout;
    }

    /** Connects now (usually at startup) if this is the first cluster limiter, so that no call waits for that. */
    @Override
    public Permits permits(String name, RateLimiterConfig config) {
        RedisPermits permits = new RedisPermits(name, config);
        try {
            permits.bucket();
        } catch (Unavailable down) {
            // logged once; its calls fall back until the background check reaches Redis
        }
        return permits;
    }

    /** Whether Redis was reachable at the last attempt. */
    public boolean available() {
        return available.get();
    }

    @Override
    public void destroy() throws Exception {
        closed = true;
        worker.shutdownNow();
        synchronized (connecting) {
            if (connection != null && connection.isOpen()) { // the client may have been shut down first
                connection.close();
            }
        }
    }

    private ProxyManager<byte[]> proxies() {
        ProxyManager<byte[]> current = proxies;
        if (current != null) {
            return current;
        }
        synchronized (connecting) {
            if (proxies == null) {
                proxies = connect();
            }
            return proxies;
        }
    }

    private ProxyManager<byte[]> connect() {
        AbstractRedisClient redis = client.get();
        Bucket4jLettuce.LettuceBasedProxyManagerBuilder<byte[]> builder;
        if (redis instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<byte[], byte[]> opened = cluster.connect(ByteArrayCodec.INSTANCE);
            connection = opened;
            builder = Bucket4jLettuce.casBasedBuilder(opened);
        } else {
            StatefulRedisConnection<byte[], byte[]> opened = ((RedisClient) redis).connect(ByteArrayCodec.INSTANCE);
            connection = opened;
            builder = Bucket4jLettuce.casBasedBuilder(opened);
        }
        return builder.clientClock(wallClock).requestTimeout(requestTimeout)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_AFTER_REFILL))
                .build();
    }

    /** Marks the store unreachable (logged and checked again in the background once); answers what to throw. */
    private Unavailable down(RuntimeException failed) {
        if (available.compareAndSet(true, false)) {
            log.warn("Cluster rate limits cannot reach Redis ({}): each cluster limiter allows its local share or "
                    + "rejects, as its on-backend-failure says, until Redis answers again", failed.toString());
            scheduleCheck();
        }
        return UNAVAILABLE;
    }

    private void scheduleCheck() {
        if (!closed) {
            timing.scheduler().schedule(() -> {
                try {
                    worker.execute(this::check);
                } catch (RejectedExecutionException closedMeanwhile) {
                    // the application is shutting down: nothing to check
                }
            }, RECHECK.toNanos());
        }
    }

    /** Tries Redis once; on the worker thread. */
    private void check() {
        try {
            proxies();
            ping();
            available.set(true);
            log.info("Cluster rate limits reach Redis again: shared limits apply");
        } catch (RuntimeException stillDown) {
            scheduleCheck();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void ping() throws InterruptedException {
        StatefulConnection<byte[], byte[]> opened;
        synchronized (connecting) {
            opened = connection;
        }
        try {
            if (opened instanceof StatefulRedisClusterConnection<?, ?> cluster) {
                cluster.async().ping().get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                ((StatefulRedisConnection<?, ?>) opened).async().ping().get(requestTimeout.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** One limiter's bucket. */
    private final class RedisPermits implements Permits {

        private final byte[] key;
        private final BucketConfiguration configuration;
        private volatile BucketProxy bucket;

        RedisPermits(String name, RateLimiterConfig config) {
            Duration period = config.limitRefreshPeriod();
            this.key = (KEY_PREFIX + name + ":" + config.limitForPeriod() + "-per-" + period)
                    .getBytes(StandardCharsets.UTF_8);
            long periodMillis = Math.max(1, period.toMillis());
            long now = timing.clock().millis();
            Instant nextBoundary = Instant.ofEpochMilli((now / periodMillis + 1) * periodMillis);
            this.configuration = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(config.limitForPeriod())
                            .refillIntervallyAligned(config.limitForPeriod(), period, nextBoundary))
                    .build();
        }

        @Override
        public long reserve(long maxWaitNanos) {
            BucketProxy current = bucket();
            try {
                if (maxWaitNanos == 0) {
                    return current.tryConsume(1) ? 0 : RateLimiter.REJECTED;
                }
                WaitRecorder wait = new WaitRecorder();
                return current.asBlocking().tryConsume(1, maxWaitNanos, wait) ? wait.nanos : RateLimiter.REJECTED;
            } catch (InterruptedException notThrown) {
                Thread.currentThread().interrupt();
                return RateLimiter.REJECTED;
            } catch (RuntimeException failed) {
                throw down(failed);
            }
        }

        @Override
        public void release() {
            BucketProxy current = bucket();
            try {
                current.addTokens(1);
            } catch (RuntimeException failed) {
                throw down(failed);
            }
        }

        @Override
        public long availablePermits() {
            BucketProxy current = bucket();
            try {
                return current.getAvailableTokens();
            } catch (RuntimeException failed) {
                throw down(failed);
            }
        }

        @Override
        public boolean available() {
            return available.get();
        }

        private BucketProxy bucket() {
            if (!available.get()) {
                throw UNAVAILABLE;
            }
            BucketProxy current = bucket;
            if (current == null) {
                try {
                    current = proxies().builder().withOptimization(Optimizations.batching())
                            .build(key, () -> configuration);
                } catch (RuntimeException failed) {
                    throw down(failed);
                }
                bucket = current;
            }
            return current;
        }
    }

    /**
     * Takes the wait Bucket4j computed for a reserved token instead of parking: the limiter's caller waits
     * through its own sleeper or scheduler (synchronous, {@code CompletionStage} and Reactor calls alike).
     */
    private static final class WaitRecorder implements BlockingStrategy {
        long nanos;

        @Override
        public void park(long nanosToPark) {
            nanos = nanosToPark;
        }
    }

    /** Bucket4j's clock: the starter's wall clock, the same time base on every application. */
    private record ClockMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
