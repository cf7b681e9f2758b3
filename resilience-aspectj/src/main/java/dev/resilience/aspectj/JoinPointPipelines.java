package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.InlinePipeline;
import dev.resilience.autoconfigure.aop.MethodPipeline;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * The pipelines of one Spring context, one per join point (AspectJ's static part of the join point is one object
 * per woven method), built at the join point's first call. Immutable apart from the cache; a new context gets a
 * new instance, so pipelines never outlive the context that built them.
 */
final class JoinPointPipelines {

    private static final Log logger = LogFactory.getLog(ResilienceAspect.class);
    // Invariant: the unguarded warning is logged once per class loader, however many calls come early.
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Object owner;
    private final PipelineFactory factory;
    private final boolean guarding;
    private final Map<JoinPoint.StaticPart, Site> sites = new ConcurrentHashMap<>();
    // Invariant: true once a site is prepared that has no inline form and is not one the closure advice takes by its
    // return type alone; until then that advice's test answers without a lookup.
    private volatile boolean closing;

    private JoinPointPipelines(Object owner, PipelineFactory factory, boolean guarding) {
        this.owner = owner;
        this.factory = factory;
        this.guarding = guarding;
    }

    static JoinPointPipelines unbound() {
        return new JoinPointPipelines(null, null, false);
    }

    static JoinPointPipelines bound(Object owner, PipelineFactory factory) {
        return new JoinPointPipelines(owner, factory, true);
    }

    static JoinPointPipelines passThrough(Object owner) {
        return new JoinPointPipelines(owner, null, false);
    }

    Object owner() {
        return owner;
    }

    /**
     * The join point's pipeline, built at its first call; {@code null} when calls pass straight on (no context in
     * AspectJ mode is ready, or the context is in proxy mode), after the one warning of an early call.
     */
    Site site(JoinPoint.StaticPart site) {
        if (factory == null) {
            warnUnguarded(site);
            return null;
        }
        Site prepared = sites.get(site);
        if (prepared == null) {
            prepared = sites.computeIfAbsent(site, this::prepare);
        }
        return prepared;
    }

    /** For tests: the next early call warns again. */
    static void forgetWarning() {
        WARNED.set(false);
    }

    private void warnUnguarded(JoinPoint.StaticPart site) {
        if (owner == null && WARNED.compareAndSet(false, true)) {
            logger.warn(site.getSignature().toLongString() + " ran unguarded: its class is woven with the resilience "
                    + "aspect, but no Spring context in AspectJ mode (resilience.aop.mode=aspectj) is ready yet to "
                    + "supply the policies; calls before then are not guarded (this is said once)");
        }
    }

    /**
     * Whether the call of {@code site} runs its pipeline through the closure advice: its site is prepared and has no
     * inline form (an asynchronous or reactive method's, or one with a timeout, last-known-good answer or
     * observation). Read on every call of a method whose site has an inline form, so one flag answers while no site
     * needs the closure.
     */
    boolean closed(JoinPoint.StaticPart site) {
        if (!closing) {
            return false;
        }
        Site prepared = sites.get(site);
        return prepared != null && prepared.inline() == null;
    }

    /**
     * The return types of {@code ResilienceAspect.returnsLater()}, whose calls the closure advice always takes. Its
     * {@code reactor.core.publisher.*} matches the package's top-level types only (not {@code Sinks.One}): a nested
     * type's site must raise the flag like any other, or its calls would pass both advice unguarded.
     */
    private static boolean returnsLater(Class<?> type) {
        String name = type.getPackageName();
        return type == CompletionStage.class || type == CompletableFuture.class
                || type.getEnclosingClass() == null
                        && (name.equals("reactor.core.publisher") || name.equals("org.reactivestreams"));
    }

    private Site prepare(JoinPoint.StaticPart site) {
        MethodSignature signature = (MethodSignature) site.getSignature();
        Method method = signature.getMethod();
        MethodPipeline pipeline = factory.methodPipeline(method, signature.getDeclaringType());
        if (pipeline.inline() == null && !returnsLater(method.getReturnType())) {
            closing = true;
        }
        return new Site(method, pipeline, pipeline.inline());
    }

    /**
     * One join point's method and pipeline, and the pipeline's inline form ({@code null} when it has none). The
     * closure advice runs {@link MethodPipeline#call}, which rethrows what the method or a policy throws as it is
     * (the woven method declares what it throws, and code-style around advice cannot declare {@code Throwable} for
     * every join point).
     */
    record Site(Method method, MethodPipeline pipeline, InlinePipeline inline) {
    }
}
