package dev.resilience.aspectj;

import dev.resilience.annotation.LastKnownGood;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.aop.InlinePipeline;
import dev.resilience.autoconfigure.aop.MethodPipeline;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import java.lang.reflect.AnnotatedElement;
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
     * The join point's pipeline on {@code self}'s class, built at its first call there; {@code null} when calls pass
     * straight on (no context in AspectJ mode is ready, or the context is in proxy mode), after the one warning of an
     * early call. An object of the class declaring the method (nearly every call) takes the join point's own site;
     * a subclass's object takes one built for its class, so that the subclass's class-level annotations apply, as
     * they do through a proxy.
     */
    Site site(JoinPoint.StaticPart site, Object self) {
        Site declared = site(site);
        if (declared == null) {
            return null;
        }
        Class<?> type = self.getClass();
        return type == declared.type() ? declared : declared.forSubclass(type, factory);
    }

    /** The join point's pipeline on the class declaring the method (see {@link #site(JoinPoint.StaticPart, Object)}). */
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
     * The inline form of the join point's pipeline on {@code self}'s class, for the inline advice (woven where
     * {@link #needsClosure} is false); {@code null} when calls pass straight on (see {@link #site}).
     *
     * @throws IllegalStateException when the pipeline has none: a timeout or a last-known-good answer applies that
     *         the method's declaration does not show, so AspectJ wove the advice that cannot run it
     */
    InlinePipeline inline(JoinPoint.StaticPart site, Object self) {
        Site prepared = site(site, self);
        if (prepared == null) {
            return null;
        }
        InlinePipeline inline = prepared.inline();
        if (inline == null) {
            throw new IllegalStateException(notWovenForInvocation(prepared.method(), prepared.type()));
        }
        return inline;
    }

    /**
     * Whether AspectJ weaves the closure advice into {@code method} (the aspect's {@code closed()} pointcut, or a
     * method of four parameters or more): its return type is a {@code CompletionStage} or Reactor's, the method
     * carries {@code @Timeout} or {@code @LastKnownGood} itself, or a type that declares it (its class, or a supertype
     * whose method it overrides: AspectJ matches a declaring-type pattern against each of those) carries one.
     */
    static boolean needsClosure(Method method) {
        return method.getParameterCount() > 3 || returnsLater(method.getReturnType()) || carriesOwn(method)
                || declaredByMarkedType(method.getDeclaringClass(), method);
    }

    private static boolean declaredByMarkedType(Class<?> type, Method method) {
        if (type == null) {
            return false;
        }
        if (carriesOwn(type) && declares(type, method)) {
            return true;
        }
        for (Class<?> each : type.getInterfaces()) {
            if (declaredByMarkedType(each, method)) {
                return true;
            }
        }
        return declaredByMarkedType(type.getSuperclass(), method);
    }

    private static boolean declares(Class<?> type, Method method) {
        try {
            type.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException absent) {
            return false;
        }
    }

    private static boolean carriesOwn(AnnotatedElement element) {
        return element.getDeclaredAnnotation(Timeout.class) != null
                || element.getDeclaredAnnotation(LastKnownGood.class) != null;
    }

    /**
     * Why {@code method}'s calls on {@code type} (its declaring class or a subclass) cannot be guarded, and what to
     * do.
     */
    static String notWovenForInvocation(Method method, Class<?> type) {
        String name = method.getDeclaringClass().getName() + "." + method.getName();
        String from = type == method.getDeclaringClass() ? "" : " (called on " + type.getName() + ")";
        return "A @Timeout or @LastKnownGood applies to " + name + from + " from an interface, a superclass, a "
                + "subclass or a composed annotation, but in AspectJ mode the advice that runs a timeout or a "
                + "last-known-good answer is woven only into methods that carry @Timeout or @LastKnownGood themselves "
                + "or that a class carrying one declares: annotate " + name + " (or its class) with it, or override "
                + "the method in the class that carries it";
    }

    /**
     * The return types of {@code ResilienceAspect.returnsLater()}, whose calls the closure advice takes. Its
     * {@code reactor.core.publisher.*} matches the package's top-level types only (not {@code Sinks.One}).
     */
    private static boolean returnsLater(Class<?> type) {
        String name = type.getPackageName();
        return type == CompletionStage.class || type == CompletableFuture.class
                || type.getEnclosingClass() == null
                        && (name.equals("reactor.core.publisher") || name.equals("org.reactivestreams"));
    }

    private Site prepare(JoinPoint.StaticPart site) {
        MethodSignature signature = (MethodSignature) site.getSignature();
        return Site.of(signature.getMethod(), signature.getDeclaringType(), factory);
    }

    /**
     * One join point's method and pipeline on one class, and the pipeline's inline form ({@code null} when it has
     * none). The closure advice runs {@link MethodPipeline#call}, which rethrows what the method or a policy throws
     * as it is (the woven method declares what it throws, and code-style around advice cannot declare
     * {@code Throwable} for every join point). The join point's own site (on the declaring class) keeps the sites of
     * the subclasses whose objects ran it.
     */
    static final class Site {
        private final Method method;
        private final Class<?> type;
        private final MethodPipeline pipeline;
        private final InlinePipeline inline;
        // Invariant: only in the declaring class's site; a subclass's site for each subclass seen, built once.
        private final Map<Class<?>, Site> subclasses = new ConcurrentHashMap<>();

        private Site(Method method, Class<?> type, MethodPipeline pipeline) {
            this.method = method;
            this.type = type;
            this.pipeline = pipeline;
            this.inline = pipeline.inline();
        }

        static Site of(Method method, Class<?> type, PipelineFactory factory) {
            return new Site(method, type, factory.methodPipeline(method, type));
        }

        Site forSubclass(Class<?> subclass, PipelineFactory factory) {
            Site known = subclasses.get(subclass);
            return known != null ? known : subclasses.computeIfAbsent(subclass, key -> of(method, key, factory));
        }

        Method method() {
            return method;
        }

        /** The class whose pipeline this is: the declaring class, or a subclass whose object ran the method. */
        Class<?> type() {
            return type;
        }

        MethodPipeline pipeline() {
            return pipeline;
        }

        InlinePipeline inline() {
            return inline;
        }
    }
}
