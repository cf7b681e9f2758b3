package dev.resilience.autoconfigure.lastknowngood;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.lastknowngood.AnswerStore;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.lastknowngood.StoredAnswer;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.util.ClassUtils;

/**
 * Opens each {@code @LastKnownGood} instance's store on Spring's cache abstraction: a cache named
 * {@code cache-name} of the application's {@code CacheManager} when it has one (Redis, Ehcache, ... shared by
 * replicas or surviving restarts as that cache does), else of a {@code CacheManager} of the starter's own that is
 * not a bean (so that it never becomes the application's): bounded Caffeine caches of {@code maximum-size}
 * entries, or, where Caffeine is not on the class path, bounded maps.
 */
public final class CacheAnswerStores implements AnswerStore.Factory {

    // Looked for when the first own cache is made, not when this class loads (with every application's start,
    // @LastKnownGood or not): the check loads Caffeine's builder class.
    private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

    private final Supplier<CacheManager> application;
    private final Map<String, Cache> ownCaches = new ConcurrentHashMap<>();
    private volatile Object caffeine; // a CaffeineCacheManager, once the first cache is made

    /** @param application the application's cache manager, or {@code null} when it has none; asked once per store */
    public CacheAnswerStores(Supplier<CacheManager> application) {
        this.application = application;
    }

    @Override
    public AnswerStore open(String instance, LastKnownGoodConfig config) {
        String cacheName = config.cacheNameFor(instance);
        CacheManager manager = application.get();
        Cache cache;
        if (manager != null) {
            cache = manager.getCache(cacheName);
            if (cache == null) {
                throw new IllegalStateException("The application's CacheManager (" + manager.getClass().getName()
                        + ") has no cache named '" + cacheName + "' for @LastKnownGood(\"" + instance + "\"); create "
                        + "it, or set resilience.last-known-good.instances." + instance + ".cache-name");
            }
        } else {
            cache = ownCaches.computeIfAbsent(cacheName, name -> ownCache(name, config.maximumSize()));
        }
        return new CacheStore(cache);
    }

    private Cache ownCache(String name, int maximumSize) {
        if (!ClassUtils.isPresent(CAFFEINE, CacheAnswerStores.class.getClassLoader())) {
            return new BoundedMapCache(name, maximumSize);
        }
        Object manager = caffeine;
        if (manager == null) {
            manager = CaffeineCaches.manager();
            caffeine = manager;
        }
        return CaffeineCaches.cache(manager, name, maximumSize);
    }

    /** Apart, so that this class loads where Caffeine is absent. */
    private static final class CaffeineCaches {
        static Object manager() {
            return new CaffeineCacheManager();
        }

        static Cache cache(Object manager, String name, int maximumSize) {
            CaffeineCacheManager caffeine = (CaffeineCacheManager) manager;
            caffeine.registerCustomCache(name, Caffeine.newBuilder().maximumSize(maximumSize).build());
            return caffeine.getCache(name);
        }
    }

    /** Answers in a Spring {@link Cache}; a value of another type under the same key reads as nothing stored. */
    private record CacheStore(Cache cache) implements AnswerStore {
        @Override
        public StoredAnswer get(Object key) {
            Cache.ValueWrapper wrapper = cache.get(key);
            return wrapper != null && wrapper.get() instanceof StoredAnswer answer ? answer : null;
        }

        @Override
        public void put(Object key, StoredAnswer answer) {
            cache.put(key, answer);
        }

        @Override
        public void evict(Object key) {
            cache.evict(key);
        }

        @Override
        public void clear() {
            cache.clear();
        }
    }

    /** Without Caffeine: a map that drops an arbitrary entry to make room, so it never exceeds its bound. */
    private static final class BoundedMapCache extends ConcurrentMapCache {
        private final int maximumSize;

        BoundedMapCache(String name, int maximumSize) {
            super(name, new ConcurrentHashMap<>(), false);
            this.maximumSize = maximumSize;
        }

        @Override
        public void put(Object key, Object value) {
            Map<Object, Object> map = getNativeCache();
            if (!map.containsKey(key)) {
                Iterator<Object> keys = map.keySet().iterator();
                while (map.size() >= maximumSize && keys.hasNext()) {
                    keys.next();
                    keys.remove();
                }
            }
            super.put(key, value);
        }
    }
}
