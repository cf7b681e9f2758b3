package dev.resilience.autoconfigure.endpoint;

import dev.resilience.autoconfigure.ResilienceConfigurations;
import dev.resilience.autoconfigure.ResilienceKind;
import dev.resilience.autoconfigure.ResilienceRegistries;
import dev.resilience.autoconfigure.probe.ResilienceProbes;
import dev.resilience.autoconfigure.properties.ChaosBinder;
import dev.resilience.autoconfigure.properties.ConfigResolver;
import dev.resilience.autoconfigure.properties.FeatureBinder;
import dev.resilience.autoconfigure.properties.LastKnownGoodBinder;
import dev.resilience.autoconfigure.properties.LastKnownGoodSpec;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Quote;
import dev.resilience.core.RecentEvents;
import dev.resilience.degradation.DegradationMonitor;
import dev.resilience.degradation.DegradationOverride;
import dev.resilience.degradation.Feature;
import dev.resilience.lastknowngood.LastKnownGood;
import dev.resilience.lastknowngood.LastKnownGoodConfig;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import dev.resilience.probe.Probe;
import dev.resilience.probe.ProbeConfig;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.timeout.Timeout;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code /actuator/resilience}: every breaker, retry, bulkhead and feature with its live figures and effective
 * configuration, the degradation level and recent events; and, where the application exposes and secures its
 * write operations, moving breakers, switching features and changing configuration at runtime.
 */
@Endpoint(id = "resilience")
public class ResilienceEndpoint {

    private static final List<String> KINDS = List.of("circuitbreakers", "retries", "bulkheads", "ratelimiters",
            "timeouts", "features", "chaos");

    /** Read only, for now: its configuration is not changed at runtime. */
    private static final String LAST_KNOWN_GOOD = "lastknowngood";
    private static final LastKnownGoodBinder LAST_KNOWN_GOOD_BINDER = new LastKnownGoodBinder();

    /** Read, and run now with {@code {"run": true}}. */
    private static final String PROBES = "probes";

    private static final List<String> READABLE_KINDS = Stream.concat(KINDS.stream(),
            Stream.of(LAST_KNOWN_GOOD, PROBES)).toList();

    /** The overview's key for each configured kind. */
    private static final Map<ResilienceKind<?, ?>, String> OVERVIEW_KEYS = Map.of(
            ResilienceKind.CIRCUIT_BREAKER, "circuitBreakers", ResilienceKind.RETRY, "retries",
            ResilienceKind.BULKHEAD, "bulkheads", ResilienceKind.RATE_LIMITER, "rateLimiters",
            ResilienceKind.TIMEOUT, "timeouts", ResilienceKind.FEATURE, "features");

    /** Each configured kind's view of one instance, which is of that kind. */
    private static final Map<ResilienceKind<?, ?>, BiFunction<ResilienceEndpoint, Object, Map<String, Object>>>
            VIEWS = Map.of(
                    ResilienceKind.CIRCUIT_BREAKER, (endpoint, breaker) -> endpoint.describe((CircuitBreaker) breaker),
                    ResilienceKind.RETRY, (endpoint, instance) -> endpoint.describe((Retry) instance),
                    ResilienceKind.BULKHEAD, (endpoint, instance) -> endpoint.describe((Bulkhead) instance),
                    ResilienceKind.RATE_LIMITER, (endpoint, instance) -> endpoint.describe((RateLimiter) instance),
                    ResilienceKind.TIMEOUT, (endpoint, instance) -> endpoint.describe((Timeout) instance),
                    ResilienceKind.FEATURE, (endpoint, instance) -> describe((Feature) instance));

    private final ResilienceRegistries registries;
    private final DegradationMonitor monitor;
    private final RecentEvents events;
    private final ResilienceConfigurations configurations;
    private final ChaosRegistry chaos;
    private final LastKnownGoodRegistry lastKnownGood;
    private final ResilienceProbes probes;
    private volatile Supplier<List<ResilienceEndpointResource>> resources = List::of;

    /** @param chaos fault injection, or {@code null} while it is disabled */
    public ResilienceEndpoint(ResilienceRegistries registries, DegradationMonitor monitor, RecentEvents events,
            ResilienceConfigurations configurations, ChaosRegistry chaos) {
        this(registries, monitor, events, configurations, chaos, null);
    }

    /**
     * @param chaos fault injection, or {@code null} while it is disabled
     * @param lastKnownGood the {@code @LastKnownGood} instances, or {@code null} where there are none
     */
    public ResilienceEndpoint(ResilienceRegistries registries, DegradationMonitor monitor, RecentEvents events,
            ResilienceConfigurations configurations, ChaosRegistry chaos, LastKnownGoodRegistry lastKnownGood) {
        this(registries, monitor, events, configurations, chaos, lastKnownGood, null);
    }

    /**
     * @param chaos fault injection, or {@code null} while it is disabled
     * @param lastKnownGood the {@code @LastKnownGood} instances, or {@code null} where there are none
     * @param probes the dependency probes, or {@code null} where there are none
     */
    public ResilienceEndpoint(ResilienceRegistries registries, DegradationMonitor monitor, RecentEvents events,
            ResilienceConfigurations configurations, ChaosRegistry chaos, LastKnownGoodRegistry lastKnownGood,
            ResilienceProbes probes) {
        this.probes = probes;
        this.registries = registries;
        this.monitor = monitor;
        this.events = events;
        this.configurations = configurations;
        this.chaos = chaos;
        this.lastKnownGood = lastKnownGood;
    }

    /**
     * The sub-resources that optional modules add (e.g. {@code deferred}), looked up at each request so that the
     * order in which beans are created does not matter.
     */
    public void setResources(Supplier<List<ResilienceEndpointResource>> resources) {
        this.resources = resources;
    }

    /** The sub-resource served at {@code path}, or {@code null}. */
    public @Nullable ResilienceEndpointResource resource(String path) {
        for (ResilienceEndpointResource resource : resources.get()) {
            if (resource.path().equals(path)) {
                return resource;
            }
        }
        return null;
    }

    @ReadOperation
    public Map<String, Object> overview() {
        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("degradation", degradation());
        for (ResilienceKind<?, ?> kind : ResilienceKind.ALL) {
            overview.put(OVERVIEW_KEYS.get(kind), all(kind));
        }
        overview.put("chaos", chaos == null ? Map.of("enabled", false) : byName(chaos.all(), Chaos::getName,
                ResilienceEndpoint::describe));
        overview.put("lastKnownGood", lastKnownGood == null ? Map.of() : byName(lastKnownGood.all(),
                LastKnownGood::getName, ResilienceEndpoint::describe));
        overview.put("probes", probes == null ? Map.of() : byName(probes.all(), Probe::getName,
                ResilienceEndpoint::describe));
        return overview;
    }

    /**
     * {@code GET /actuator/resilience/events}: the most recent events, oldest first; {@code GET
     * /actuator/resilience/degradation}: the level, why, and the operator's override.
     */
    public WebEndpointResponse<Object> events(@Selector String path) {
        return events(path, null, null);
    }

    /**
     * As {@link #events(String)}; a sub-resource's path lists its items, paged by the query parameters
     * {@code page} and {@code size}. Given to {@code events} or {@code degradation}, which are not paged, they are
     * a bad request (400) rather than ignored.
     */
    @ReadOperation
    public WebEndpointResponse<Object> events(@Selector String path, @Nullable String page, @Nullable String size) {
        ResilienceEndpointResource resource = resource(path);
        if (resource != null) {
            return resource.list(page, size);
        }
        if ((page != null || size != null) && ("degradation".equals(path) || "events".equals(path))) {
            return error(400, Quote.quoted(path) + " is not paged: page and size apply to a sub-resource's list"
                    + " (e.g. deferred, where resilience-deferred is present)");
        }
        if ("degradation".equals(path)) {
            return new WebEndpointResponse<>(degradation());
        }
        if (!"events".equals(path)) {
            return error(404, "no such resource " + Quote.quoted(path)
                    + "; try 'events', 'degradation' or {kind}/{name} with kind one of " + KINDS);
        }
        List<Map<String, Object>> recent = events.list().stream().map(event -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("time", event.time().toString());
            json.put("kind", event.kind());
            json.put("name", event.name());
            json.put("type", event.type());
            json.put("detail", event.detail());
            json.put("count", event.count());
            json.put("lastTime", event.lastTime().toString());
            return json;
        }).toList();
        return new WebEndpointResponse<>(recent);
    }

    /** {@code GET /actuator/resilience/{kind}/{name}}: one instance, 404 when there is none. */
    @ReadOperation
    public WebEndpointResponse<Object> instance(@Selector String kind, @Selector String name) {
        ResilienceEndpointResource resource = resource(kind);
        if (resource != null) {
            return resource.find(name);
        }
        Optional<ResilienceKind<?, ?>> configured = ResilienceKind.byPath(kind);
        Optional<Map<String, Object>> description = configured.isPresent() ? find(configured.get(), name)
                : findUnconfigured(kind, name);
        if (description == null) {
            return error(404, "unknown kind " + Quote.quoted(kind) + "; one of " + READABLE_KINDS);
        }
        return description.<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
                .orElseGet(() -> error(404, "no " + kind + " instance named " + Quote.quoted(name)));
    }

    /**
     * What {@code POST /actuator/resilience/{kind}/{name}} does, with exactly one of {@code {"state": ...}}
     * (breakers: FORCED_OPEN, CLOSED or DISABLED), {@code {"enabled": true|false}} (features) or
     * {@code {"config": {"<property>": value}}} (validated like startup, applied atomically). Unknown names answer
     * 404 and create nothing; a bad body answers 400 and changes nothing. Served by
     * {@link ResilienceEndpointWriteHandler}, because Actuator reads a write operation's body as string values
     * only and the contract's {@code config} is an object.
     */
    public WebEndpointResponse<Object> change(@Selector String kind, @Selector String name, @Nullable String state,
            @Nullable Map<String, Object> config, @Nullable Boolean enabled) {
        if (LAST_KNOWN_GOOD.equals(kind)) {
            if (state != null || enabled != null || config == null) {
                return error(400, "the body must hold exactly one of 'config' or 'purge'");
            }
            try {
                return changeLastKnownGood(name, config);
            } catch (InvalidConfigurationPropertyValueException ex) {
                return error(400, ex.getMessage());
            }
        }
        if (!KINDS.contains(kind)) {
            return error(404, "unknown kind " + Quote.quoted(kind) + "; one of " + KINDS);
        }
        int given = (state != null ? 1 : 0) + (config != null ? 1 : 0) + (enabled != null ? 1 : 0);
        if (given != 1) {
            return error(400, "the body must hold exactly one of 'state', 'config' or 'enabled'");
        }
        try {
            if (state != null) {
                return changeState(kind, name, state);
            }
            if (enabled != null) {
                return switchFeature(kind, name, enabled);
            }
            return changeConfig(kind, name, config);
        } catch (InvalidConfigurationPropertyValueException ex) {
            return error(400, ex.getMessage());
        }
    }

    private WebEndpointResponse<Object> changeState(String kind, String name, String state) {
        if (!kind.equals("circuitbreakers")) {
            return error(400, "'state' applies to circuitbreakers only");
        }
        Optional<CircuitBreaker> found = registries.circuitBreakers().find(name);
        if (found.isEmpty()) {
            return error(404, "no circuit breaker named " + Quote.quoted(name));
        }
        CircuitBreaker breaker = found.get();
        switch (state.trim().toUpperCase(Locale.ROOT)) {
            case "FORCED_OPEN" -> breaker.transitionToForcedOpen();
            case "CLOSED" -> breaker.transitionToClosed();
            case "DISABLED" -> breaker.transitionToDisabled();
            default -> {
                return error(400, "state " + Quote.quoted(state)
                        + " cannot be set; one of [FORCED_OPEN, CLOSED, DISABLED]");
            }
        }
        return new WebEndpointResponse<>(describe(breaker));
    }

    private WebEndpointResponse<Object> switchFeature(String kind, String name, boolean enabled) {
        if (!kind.equals("features")) {
            return error(400, "'enabled' applies to features only");
        }
        Optional<Feature> feature = registries.features().find(name);
        if (feature.isEmpty()) {
            return error(404, "no feature named " + Quote.quoted(name));
        }
        feature.get().setEnabled(enabled);
        return new WebEndpointResponse<>(describe(feature.get()));
    }

    private WebEndpointResponse<Object> changeConfig(String kind, String name, Map<String, Object> values) {
        Optional<ResilienceKind<?, ?>> configured = ResilienceKind.byPath(kind);
        if (configured.isPresent()) {
            return changeConfig(configured.get(), name, values);
        }
        return switch (kind) {
            case "chaos" -> reconfigure(chaos == null ? Optional.empty() : chaos.find(name),
                    "chaos instance (chaos is enabled by resilience.chaos.enabled=true)", name,
                    instance -> instance.reconfigure(configurations.chaos().change(name, instance.getConfig(), values)),
                    ResilienceEndpoint::describe);
            default -> changeConfig(ResilienceKind.FEATURE, name, values);
        };
    }

    /** Only what calls read at each call changes at runtime: the cache and the place are fixed at startup. */
    private WebEndpointResponse<Object> changeLastKnownGood(String name, Map<String, Object> values) {
        ConfigResolver<LastKnownGoodSpec, LastKnownGoodConfig> resolver = configurations.lastKnownGood();
        return reconfigure(lastKnownGood == null ? Optional.empty() : lastKnownGood.find(name),
                "last known good instance", name, instance -> {
                    LastKnownGoodConfig current = instance.getConfig();
                    LastKnownGoodConfig changed = resolver.change(name, current, values);
                    LastKnownGoodBinder.checkRuntimeChange(name, current, changed);
                    instance.reconfigure(changed);
                }, ResilienceEndpoint::describe);
    }

    /**
     * {@code POST /actuator/resilience/lastknowngood/{name}} with {@code {"purge": true}}: drops every answer the
     * instance stored (its whole cache), or with {@code "key": ...} the one stored for that key. 404 for an unknown
     * name; 400 when the store cannot drop answers.
     */
    public WebEndpointResponse<Object> purgeLastKnownGood(String name, @Nullable Object key) {
        Optional<LastKnownGood> found = lastKnownGood == null ? Optional.empty() : lastKnownGood.find(name);
        if (found.isEmpty()) {
            return error(404, "no last known good instance named " + Quote.quoted(name));
        }
        try {
            found.get().purge(key);
        } catch (UnsupportedOperationException ex) {
            return error(400, ex.getMessage());
        }
        return new WebEndpointResponse<>(describe(found.get()));
    }

    /** An instance of a kind without a {@link ResilienceKind}; {@code null} for an unknown kind. */
    private Optional<Map<String, Object>> findUnconfigured(String kind, String name) {
        return switch (kind) {
            case "chaos" -> chaos == null ? Optional.empty() : chaos.find(name).map(ResilienceEndpoint::describe);
            case LAST_KNOWN_GOOD -> lastKnownGood == null ? Optional.empty()
                    : lastKnownGood.find(name).map(ResilienceEndpoint::describe);
            case PROBES -> probes == null ? Optional.empty() : probes.find(name).map(ResilienceEndpoint::describe);
            default -> null;
        };
    }

    /** A configured kind's change, bound and validated as {@code application.yml} is. */
    private <T, C> WebEndpointResponse<Object> changeConfig(ResilienceKind<T, C> kind, String name,
            Map<String, Object> values) {
        return reconfigure(kind.registry(registries).find(name), kind.label(), name, instance -> {
            kind.reconfigure(instance, kind.change(configurations, name, kind.config(instance), values));
            if (kind == ResilienceKind.CIRCUIT_BREAKER) { // a breaker's criticality weighs in the level
                monitor.recompute();
            }
        }, view(kind));
    }

    private <T> Optional<Map<String, Object>> find(ResilienceKind<T, ?> kind, String name) {
        return kind.registry(registries).find(name).map(view(kind));
    }

    private <T> Map<String, Object> all(ResilienceKind<T, ?> kind) {
        return byName(kind.registry(registries).all(), kind::instanceName, view(kind));
    }

    /** The JSON view of one instance of {@code kind}: each kind shows its own state and figures. */
    private <T> Function<T, Map<String, Object>> view(ResilienceKind<T, ?> kind) {
        BiFunction<ResilienceEndpoint, Object, Map<String, Object>> view = VIEWS.get(kind);
        return instance -> view.apply(this, instance);
    }

    /** Validates and applies a change to an existing instance; 404 when there is none. */
    private static <T> WebEndpointResponse<Object> reconfigure(Optional<T> instance, String what, String name,
            Consumer<T> change, Function<T, Map<String, Object>> describe) {
        if (instance.isEmpty()) {
            return error(404, "no " + what + " named " + Quote.quoted(name));
        }
        change.accept(instance.get());
        return new WebEndpointResponse<>(describe.apply(instance.get()));
    }

    /**
     * {@code POST /actuator/resilience/probes/{name}} with {@code {"run": true}}: runs one check now (or joins the
     * one in flight), waits for it at most its timeout, and answers the probe's JSON.
     */
    public WebEndpointResponse<Object> runProbe(String name) {
        Optional<Probe> probe = probes == null ? Optional.empty() : probes.find(name);
        if (probe.isEmpty()) {
            return error(404, "no probe named " + Quote.quoted(name));
        }
        Duration timeout = probe.get().getConfig().timeout();
        try {
            probe.get().runNow().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return error(503, "interrupted while the probe ran");
        } catch (ExecutionException | TimeoutException impossible) { // the check is cut at its timeout
            return error(503, "the probe did not decide within its timeout");
        }
        return new WebEndpointResponse<>(describe(probe.get()));
    }

    private static Map<String, Object> describe(Probe probe) {
        ProbeSnapshot snapshot = probe.snapshot();
        ProbeConfig config = probe.getConfig();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", probe.getName());
        json.put("status", snapshot.status());
        json.put("criticality", snapshot.criticality().name().toLowerCase(Locale.ROOT));
        json.put("consecutiveFailures", snapshot.consecutiveFailures());
        json.put("lastLatencyMillis", snapshot.lastLatency().toMillis());
        json.put("lastSuccess", snapshot.lastSuccess() == null ? null : snapshot.lastSuccess().toString());
        json.put("error", snapshot.error());
        json.put("successfulChecks", snapshot.successfulChecks());
        json.put("failedChecks", snapshot.failedChecks());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("interval", config.interval().toString());
        settings.put("timeout", config.timeout().toString());
        settings.put("initial-delay", config.initialDelay().toString());
        settings.put("failure-threshold", config.failureThreshold());
        settings.put("success-threshold", config.successThreshold());
        settings.put("circuit-breaker", config.circuitBreaker());
        json.put("config", settings);
        return json;
    }

    /** The degradation level, what it comes from, and the operator's override (nulls when there is none). */
    Map<String, Object> degradation() {
        DegradationMonitor.Snapshot snapshot = monitor.snapshot();
        DegradationOverride override = snapshot.override();
        Map<String, Object> degradation = new LinkedHashMap<>();
        degradation.put("level", snapshot.level());
        degradation.put("impaired", snapshot.impaired());
        degradation.put("computedLevel", snapshot.computed());
        degradation.put("setBy", snapshot.setByOperator() ? "operator" : "dependencies");
        degradation.put("override", override == null ? null : override.level());
        degradation.put("mode", override == null ? null : override.mode());
        degradation.put("reason", override == null ? null : override.reason());
        degradation.put("expiresAt", override == null || override.expiresAt() == null ? null
                : override.expiresAt().toString());
        return degradation;
    }

    private Map<String, Object> describe(CircuitBreaker breaker) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", breaker.getName());
        json.put("state", breaker.getState());
        CircuitBreakerMetrics metrics = breaker.getMetrics();
        json.put("failureRate", metrics.failureRate());
        json.put("slowCallRate", metrics.slowCallRate());
        json.put("bufferedCalls", metrics.bufferedCalls());
        json.put("failedCalls", metrics.failedCalls());
        json.put("slowCalls", metrics.slowCalls());
        json.put("notPermittedCalls", metrics.notPermittedCalls());
        json.put("criticality", breaker.getConfig().criticality().name().toLowerCase(Locale.ROOT));
        json.put("heldOpenBy", breaker.getHeldOpenBy());
        json.put("config", configurations.circuitBreakers().binder().describe(breaker.getConfig()));
        return json;
    }

    private Map<String, Object> describe(Retry retry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", retry.getName());
        RetryMetrics metrics = retry.getMetrics();
        json.put("successfulWithoutRetry", metrics.successfulWithoutRetry());
        json.put("successfulWithRetry", metrics.successfulWithRetry());
        json.put("failedWithRetry", metrics.failedWithRetry());
        json.put("failedWithoutRetry", metrics.failedWithoutRetry());
        json.put("retryAttempts", metrics.retryAttempts());
        json.put("budgetExhaustedCalls", retry.getBudgetExhaustedCalls());
        json.put("config", configurations.retries().binder().describe(retry.getConfig()));
        return json;
    }

    private Map<String, Object> describe(Bulkhead bulkhead) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", bulkhead.getName());
        json.put("availableConcurrentCalls", bulkhead.getAvailableConcurrentCalls());
        json.put("maxConcurrentCalls", bulkhead.getConfig().maxConcurrentCalls());
        json.put("waitingCalls", bulkhead.getWaitingCalls());
        json.put("rejectedCalls", bulkhead.getRejectedCalls());
        json.put("config", configurations.bulkheads().binder().describe(bulkhead.getConfig()));
        return json;
    }

    private Map<String, Object> describe(RateLimiter limiter) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", limiter.getName());
        json.put("availablePermissions", limiter.getAvailablePermissions());
        json.put("rejectedCalls", limiter.getRejectedCalls());
        json.put("config", configurations.rateLimiters().binder().describe(limiter.getConfig()));
        return json;
    }

    private Map<String, Object> describe(Timeout timeout) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", timeout.getName());
        json.put("successfulCalls", timeout.getSuccessfulCalls());
        json.put("failedCalls", timeout.getFailedCalls());
        json.put("timedOutCalls", timeout.getTimedOutCalls());
        json.put("config", configurations.timeouts().binder().describe(timeout.getConfig()));
        return json;
    }

    private static Map<String, Object> describe(Chaos instance) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", instance.getName());
        json.put("injectedFailures", instance.getInjectedFailures());
        json.put("injectedLatencies", instance.getInjectedLatencies());
        json.put("config", ChaosBinder.describe(instance.getConfig()));
        return json;
    }

    private static Map<String, Object> describe(LastKnownGood instance) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", instance.getName());
        json.put("storedCalls", instance.getStoredCalls());
        json.put("servedCalls", instance.getServedCalls());
        json.put("missedCalls", instance.getMissedCalls());
        json.put("tooOldCalls", instance.getTooOldCalls());
        json.put("storeFailures", instance.getStoreFailures());
        json.put("config", LAST_KNOWN_GOOD_BINDER.describe(instance.getConfig()));
        return json;
    }

    private static Map<String, Object> describe(Feature feature) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", feature.getName());
        json.put("enabled", feature.isEnabled());
        json.put("switchedByMode", feature.getSwitchingMode());
        json.put("available", feature.isAvailable());
        json.put("skippedCalls", feature.getSkippedCalls());
        json.put("config", FeatureBinder.describe(feature.getConfig()));
        return json;
    }

    private static <T> Map<String, Object> byName(Collection<T> instances, Function<T, String> name,
            Function<T, Map<String, Object>> describe) {
        Map<String, Object> byName = new TreeMap<>();
        instances.forEach(instance -> byName.put(name.apply(instance), describe.apply(instance)));
        return byName;
    }

    private static WebEndpointResponse<Object> error(int status, String reason) {
        return new WebEndpointResponse<>(Map.of("status", status, "error", reason), status);
    }
}
