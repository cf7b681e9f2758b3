package dev.resilience.redis;

import dev.resilience.autoconfigure.control.ControlChange;
import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A control store in Redis: one hash ({@code <prefix>:state}, a field per key, the latest change as JSON) holds the
 * state; each change is also published on {@code <prefix>:changes} so that the other applications apply it at once;
 * every {@code reconcile-interval} the hash is read whole and whatever differs from what this application knows is
 * applied, which heals a missed message. Last writer wins per key: the last write to reach Redis.
 * <p>
 * All Redis work runs on one thread of its own, so that neither the endpoint write nor the starter's shared
 * scheduler waits for Redis. While Redis is unreachable, the application keeps its last known state; changes made
 * here are kept and written when Redis is back. Both transitions are logged once.
 */
public final class RedisControlStore implements ControlStore, InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisControlStore.class);

    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    private final String hash;
    private final String channel;
    private final Duration reconcileInterval;
    private final Timing timing;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "resilience-control-redis");
        thread.setDaemon(true);
        return thread;
    });
    /** What this application knows of each key: the JSON last written here or read from Redis. */
    private final Map<String, String> known = new ConcurrentHashMap<>();
    /** Changes made here that Redis has not confirmed yet, in the order they were made. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    private final List<Consumer<ControlChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean available = true;
    /** Whether the channel's subscription has been made once (worker thread only). */
    private boolean listening;
    private volatile Scheduler.Cancellable nextReconcile;

    public RedisControlStore(RedisConnectionFactory connections, String keyPrefix, Duration reconcileInterval,
            Timing timing) {
        this.redis = new StringRedisTemplate(connections);
        this.container.setConnectionFactory(connections);
        this.hash = keyPrefix + ":state";
        this.channel = keyPrefix + ":changes";
        this.reconcileInterval = reconcileInterval;
        this.timing = timing;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        container.addMessageListener((message, pattern) -> {
            String body = new String(message.getBody(), StandardCharsets.UTF_8);
            worker.execute(() -> arrived(body));
        }, new ChannelTopic(channel));
        container.afterPropertiesSet();
        // the state this application starts from, before the replication replays it; without Redis, none
        worker.submit(() -> {
            listen();
            Map<String, String> stored = read();
            if (stored != null) {
                known.putAll(stored);
            }
        }).get(reconcileInterval.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        scheduleReconcile();
    }

    @Override
    public void record(ControlChange change) {
        String text = json.writeValueAsString(encode(change));
        synchronized (pending) {
            known.put(change.key(), text);
            pending.remove(change.key()); // re-inserted last: the order of writes is kept
            pending.put(change.key(), text);
        }
        worker.execute(this::flush);
    }

    @Override
    public Collection<ControlChange> changes() {
        return known.values().stream().map(this::decode).toList();
    }

    @Override
    public void subscribe(Consumer<ControlChange> listener) {
        listeners.add(listener);
    }

    @Override
    public boolean available() {
        return available;
    }

    /** Writes the changes made here that Redis has not confirmed; on the worker thread. */
    private boolean flush() {
        while (true) {
            Map.Entry<String, String> next;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    return true;
                }
                next = pending.entrySet().iterator().next();
            }
            try {
                redis.opsForHash().put(hash, next.getKey(), next.getValue());
                redis.convertAndSend(channel, next.getValue());
            } catch (RuntimeException unreachable) {
                down(unreachable);
                return false;
            }
            synchronized (pending) {
                pending.remove(next.getKey(), next.getValue());
            }
            up();
        }
    }

    /** A published change: applied unless this application knows it already (its own, echoed). */
    private void arrived(String text) {
        learn(decode(text).key(), text);
    }

    /**
     * Applies {@code text} unless this application knows it already or has a change of its own to write for the
     * key (which is newer). Under the lock of {@link #record}, so that a local write is never overtaken by the
     * older value it replaces.
     */
    private void learn(String key, String text) {
        synchronized (pending) {
            if (text.equals(known.get(key)) || pending.containsKey(key)) {
                return;
            }
            known.put(key, text);
            deliver(decode(text));
        }
    }

    /**
     * Subscribes to the channel unless subscribed; on the worker thread. Once subscribed, the container renews a
     * lost subscription by itself; a first subscription that failed (Redis down at startup) is tried again at each
     * reconcile.
     */
    private void listen() {
        if (listening) {
            return;
        }
        try {
            container.start();
            listening = true;
        } catch (RuntimeException unreachable) {
            container.stop();
            down(unreachable);
        }
    }

    /** Reads the hash whole; applies what differs from what this application knows. On the worker thread. */
    private void reconcile() {
        listen();
        if (!flush()) {
            return;
        }
        Map<String, String> stored = read();
        if (stored == null) {
            return;
        }
        stored.forEach(this::learn);
    }

    private Map<String, String> read() {
        Map<String, String> stored = new LinkedHashMap<>();
        try {
            redis.<String, String>opsForHash().entries(hash).forEach(stored::put);
        } catch (RuntimeException unreachable) {
            down(unreachable);
            return null;
        }
        up();
        return stored;
    }

    private void deliver(ControlChange change) {
        for (Consumer<ControlChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException failed) {
                log.warn("Control change {} could not be applied", change.key(), failed);
            }
        }
    }

    private void scheduleReconcile() {
        nextReconcile = timing.scheduler().schedule(() -> worker.execute(() -> {
            try {
                reconcile();
            } finally {
                if (!worker.isShutdown()) {
                    scheduleReconcile();
                }
            }
        }), reconcileInterval.toNanos());
    }

    private void down(RuntimeException cause) {
        if (available) {
            available = false;
            log.warn("Control store unreachable (Redis hash {}): applications keep their last known state, and "
                    + "changes made here are kept and written when it is back: {}", hash, cause.toString());
        }
    }

    private void up() {
        if (!available) {
            available = true;
            log.info("Control store reachable again (Redis hash {}); changes kept meanwhile are written", hash);
        }
    }

    private static Map<String, Object> encode(ControlChange change) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", change.key());
        fields.put("kind", change.kind());
        fields.put("name", change.name());
        fields.put("body", change.body());
        fields.put("writer", change.writer());
        fields.put("at", change.at().toString());
        fields.put("expiresAt", change.expiresAt() == null ? null : change.expiresAt().toString());
        return fields;
    }

    @SuppressWarnings("unchecked")
    private ControlChange decode(String text) {
        Map<String, Object> fields = json.readValue(text, Map.class);
        Object expiresAt = fields.get("expiresAt");
        return new ControlChange((String) fields.get("key"), (String) fields.get("kind"), (String) fields.get("name"),
                (Map<String, Object>) fields.get("body"), (String) fields.get("writer"),
                Instant.parse((String) fields.get("at")), expiresAt == null ? null : Instant.parse((String) expiresAt));
    }

    @Override
    public void destroy() throws Exception {
        Scheduler.Cancellable scheduled = nextReconcile;
        if (scheduled != null) {
            scheduled.cancel();
        }
        worker.shutdownNow();
        container.stop();
        container.destroy();
    }
}
