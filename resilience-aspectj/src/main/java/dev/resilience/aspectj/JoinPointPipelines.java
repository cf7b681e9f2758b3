package dev.resilience.aspectj;

import dev.resilience.autoconfigure.aop.MethodPipeline;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
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

    Object invoke(ProceedingJoinPoint call) throws Throwable {
        if (factory == null) {
            return unguarded(call);
        }
        JoinPoint.StaticPart site = call.getStaticPart();
        Site prepared = sites.get(site);
        if (prepared == null) {
            prepared = sites.computeIfAbsent(site, this::prepare);
        }
        return prepared.pipeline.invoke(new JoinPointInvocation(call, prepared.method));
    }

    /** For tests: the next early call warns again. */
    static void forgetWarning() {
        WARNED.set(false);
    }

    private Object unguarded(ProceedingJoinPoint call) throws Throwable {
        if (owner == null && WARNED.compareAndSet(false, true)) {
            logger.warn(call.getSignature().toLongString() + " ran unguarded: its class is woven with the resilience "
                    + "aspect, but no Spring context in AspectJ mode (resilience.aop.mode=aspectj) is ready yet to "
                    + "supply the policies; calls before then are not guarded (this is said once)");
        }
        return call.proceed();
    }

    private Site prepare(JoinPoint.StaticPart site) {
        MethodSignature signature = (MethodSignature) site.getSignature();
        Method method = signature.getMethod();
        return new Site(method, factory.methodPipeline(method, signature.getDeclaringType()));
    }

    private record Site(Method method, MethodPipeline pipeline) {
    }
}
