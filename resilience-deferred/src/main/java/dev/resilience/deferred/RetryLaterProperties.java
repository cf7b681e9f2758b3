package dev.resilience.deferred;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** Per-instance replay settings, by @RetryLater name; a name without an entry gets the defaults. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

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

    /** Checks the settings that are not per instance. */
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
        instances.keySet().forEach(this::policy);
    }

    /** The validated policy of instance {@code name}: its entry, or the defaults. */
    public RetryLaterPolicy policy(String name) {
        Instance instance = instances.getOrDefault(name, new Instance());
        String path = "instances." + name + ".";
        if (instance.maxAttempts < 1) {
            throw invalid(path + "max-attempts", instance.maxAttempts, "must be at least 1");
        }
        positive(path + "backoff", instance.backoff);
        positive(path + "max-backoff", instance.maxBackoff);
        positive(path + "max-age", instance.maxAge);
        if (!(instance.multiplier >= 1.0) || Double.isInfinite(instance.multiplier)) {
            throw invalid(path + "multiplier", instance.multiplier, "must be a finite number of at least 1.0");
        }
        if (instance.maxBackoff.compareTo(instance.backoff) < 0) {
            throw invalid(path + "max-backoff", instance.maxBackoff, "must be at least backoff ("
                    + instance.backoff + ")");
        }
        if (instance.priority < -32_768 || instance.priority > 32_767) {
            throw invalid(path + "priority", instance.priority, "must be in [-32768, 32767]");
        }
        return new RetryLaterPolicy(name, instance.maxAttempts, instance.backoff, instance.multiplier,
                instance.maxBackoff, instance.maxAge, instance.priority, instance.propagateFailure);
    }

    private static void positive(String path, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(path, value, "must be a positive duration such as 500ms, 10s or PT1M");
        }
    }

    private static InvalidConfigurationPropertyValueException invalid(String path, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(PREFIX + "." + path, value, reason);
    }

    /** How one instance replays its calls. */
    public static class Instance {

        /** Attempts in all, the original call included; after the last failed one the call is kept as dead. */
        private int maxAttempts = 10;

        /** The wait before the first replay. */
        private Duration backoff = Duration.ofSeconds(30);

        /** Each further wait is the previous one times this; at least 1.0. */
        private double multiplier = 2.0;

        /** The cap on one wait. */
        private Duration maxBackoff = Duration.ofHours(1);

        /** A call whose attempt fails this long after the original failure is kept as dead. */
        private Duration maxAge = Duration.ofDays(7);

        /** Higher replays first among calls that are due (db-scheduler's priority, -32768 to 32767). */
        private int priority;

        /** Whether the caller gets the failure after the call is stored; by default it returns normally. */
        private boolean propagateFailure;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
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

        public int getPriority() {
            return priority;
        }

        public void setPriority(int priority) {
            this.priority = priority;
        }

        public boolean isPropagateFailure() {
            return propagateFailure;
        }

        public void setPropagateFailure(boolean propagateFailure) {
            this.propagateFailure = propagateFailure;
        }
    }
}
