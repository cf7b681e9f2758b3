package dev.resilience.deferred;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code resilience.retry-later.*}: where stored calls live and how each instance replays them. Bound strictly (an
 * unknown key stops startup) by {@code ResilienceBinding.bindSection}.
 */
@ConfigurationProperties(RetryLaterProperties.PREFIX)
public class RetryLaterProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "resilience.retry-later";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /** The table of stored calls (db-scheduler's layout), optionally schema-qualified. */
    private String tableName = "resilience_deferred_calls";

    /** Whether to create the table (and its indexes) at startup when it does not exist. */
    private boolean createTable = true;

    /** How often each replica looks for due calls. */
    private Duration pollInterval = Duration.ofSeconds(10);

    /** Threads per replica that replay calls. */
    private int threads = 4;

    /** Whether this replica replays stored calls; false stores only (e.g. in a replica that serves requests only). */
    private boolean replay = true;

    /** This replica's name in the table's picked_by column; default: the host name. */
    private String schedulerName;

    /** How long a call that became dead keeps the health component deferredCalls DEGRADED. */
    private Duration healthWindow = Duration.ofHours(1);

    /** Per-instance replay settings, by @RetryLater name; a name without an entry gets configs.default or the defaults. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    /** Shared replay settings that instances name by base-config; configs.default applies to instances naming none. */
    private final Map<String, Instance> configs = new LinkedHashMap<>();

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    public boolean isCreateTable() {
        return createTable;
    }

    public void setCreateTable(boolean createTable) {
        this.createTable = createTable;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public boolean isReplay() {
        return replay;
    }

    public void setReplay(boolean replay) {
        this.replay = replay;
    }

    public String getSchedulerName() {
        return schedulerName;
    }

    public void setSchedulerName(String schedulerName) {
        this.schedulerName = schedulerName;
    }

    public Duration getHealthWindow() {
        return healthWindow;
    }

    public void setHealthWindow(Duration healthWindow) {
        this.healthWindow = healthWindow;
    }

    public Map<String, Instance> getInstances() {
        return instances;
    }

    public Map<String, Instance> getConfigs() {
        return configs;
    }

    /** Checks every setting, each instance's and each config's included. */
    public void validate() {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw invalid("table-name", tableName, "must be an SQL name ([A-Za-z_][A-Za-z0-9_]*), optionally "
                    + "qualified by a schema");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw invalid("poll-interval", pollInterval, "must be a positive duration");
        }
        positive("health-window", healthWindow);
        if (threads < 1) {
            throw invalid("threads", threads, "must be at least 1");
        }
        configs.forEach((name, config) -> {
            if (config.baseConfig != null) {
                throw invalid("configs." + name + ".base-config", config.baseConfig, "applies to instances only");
            }
            resolve("configs." + name + ".", config, null, null);
        });
        instances.keySet().forEach(this::policy);
    }

    /**
     * The validated policy of instance {@code name}: each property from its entry, else from the config its
     * {@code base-config} names (or {@code configs.default} when it names none), else the default.
     */
    public RetryLaterPolicy policy(String name) {
        Instance own = instances.get(name);
        String base = own != null && own.baseConfig != null ? own.baseConfig : "default";
        Instance config = configs.get(base);
        if (config == null && own != null && own.baseConfig != null) {
            throw invalid("instances." + name + ".base-config", own.baseConfig, "must name an entry of " + PREFIX
                    + ".configs " + configs.keySet());
        }
        Instance merged = resolve("instances." + name + ".", own, "configs." + base + ".", config);
        return new RetryLaterPolicy(name, merged.maxAttempts, merged.backoff, merged.multiplier, merged.maxBackoff,
                merged.maxAge, merged.priority, merged.propagateFailure);
    }

    /** {@code own}'s values over {@code base}'s over the defaults, validated; a bad value is named by where it is set. */
    private static Instance resolve(String ownPath, Instance own, String basePath, Instance base) {
        Instance merged = new Instance();
        merged.maxAttempts = pick(own, base, i -> i.maxAttempts, 10);
        merged.backoff = pick(own, base, i -> i.backoff, Duration.ofSeconds(30));
        merged.multiplier = pick(own, base, i -> i.multiplier, 2.0);
        merged.maxBackoff = pick(own, base, i -> i.maxBackoff, Duration.ofHours(1));
        merged.maxAge = pick(own, base, i -> i.maxAge, Duration.ofDays(7));
        merged.priority = pick(own, base, i -> i.priority, 0);
        merged.propagateFailure = pick(own, base, i -> i.propagateFailure, false);
        Function<Function<Instance, Object>, String> path = value -> (own != null && value.apply(own) != null)
                || base == null ? ownPath : basePath;
        if (merged.maxAttempts < 1) {
            throw invalid(path.apply(i -> i.maxAttempts) + "max-attempts", merged.maxAttempts, "must be at least 1");
        }
        positive(path.apply(i -> i.backoff) + "backoff", merged.backoff);
        positive(path.apply(i -> i.maxBackoff) + "max-backoff", merged.maxBackoff);
        positive(path.apply(i -> i.maxAge) + "max-age", merged.maxAge);
        if (!(merged.multiplier >= 1.0) || Double.isInfinite(merged.multiplier)) {
            throw invalid(path.apply(i -> i.multiplier) + "multiplier", merged.multiplier,
                    "must be a finite number of at least 1.0");
        }
        if (merged.maxBackoff.compareTo(merged.backoff) < 0) {
            throw invalid(path.apply(i -> i.maxBackoff) + "max-backoff", merged.maxBackoff, "must be at least "
                    + "backoff (" + merged.backoff + ")");
        }
        if (merged.priority < -32_768 || merged.priority > 32_767) {
            throw invalid(path.apply(i -> i.priority) + "priority", merged.priority, "must be in [-32768, 32767]");
        }
        return merged;
    }

    private static <T> T pick(Instance own, Instance base, Function<Instance, T> value, T fallback) {
        T mine = own == null ? null : value.apply(own);
        if (mine != null) {
            return mine;
        }
        T inherited = base == null ? null : value.apply(base);
        return inherited != null ? inherited : fallback;
    }

    private static void positive(String path, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(path, value, "must be a positive duration such as 500ms, 10s or PT1M");
        }
    }

    private static InvalidConfigurationPropertyValueException invalid(String path, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(PREFIX + "." + path, value, reason);
    }

    /**
     * How one instance (or one shared config) replays its calls. A property left unset is taken from the config the
     * instance's {@code base-config} names (or {@code configs.default}), else from the default given here.
     */
    public static class Instance {

        /** The entry of resilience.retry-later.configs whose values this instance takes where it sets none. */
        private String baseConfig;

        /** Attempts in all, the original call included; after the last failed one the call is kept as dead. Default 10. */
        private Integer maxAttempts;

        /** The wait before the first replay. Default 30s. */
        private Duration backoff;

        /** Each further wait is the previous one times this; at least 1.0. Default 2.0. */
        private Double multiplier;

        /** The cap on one wait. Default 1h. */
        private Duration maxBackoff;

        /** A call whose attempt fails this long after the original failure is kept as dead. Default 7d. */
        private Duration maxAge;

        /** Higher replays first among calls that are due (db-scheduler's priority, -32768 to 32767). Default 0. */
        private Integer priority;

        /** Whether the caller gets the failure after the call is stored; by default it returns normally. */
        private Boolean propagateFailure;

        public String getBaseConfig() {
            return baseConfig;
        }

        public void setBaseConfig(String baseConfig) {
            this.baseConfig = baseConfig;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public Integer getPriority() {
            return priority;
        }

        public void setPriority(Integer priority) {
            this.priority = priority;
        }

        public Boolean getPropagateFailure() {
            return propagateFailure;
        }

        public void setPropagateFailure(Boolean propagateFailure) {
            this.propagateFailure = propagateFailure;
        }
    }
}
