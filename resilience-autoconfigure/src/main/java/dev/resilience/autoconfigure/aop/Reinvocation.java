package dev.resilience.autoconfigure.aop;

import java.lang.ref.WeakReference;
import java.util.List;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AdvisorChainFactory;
import org.springframework.aop.framework.DefaultAdvisorChainFactory;
import org.springframework.aop.target.AbstractPrototypeBasedTargetSource;
import org.springframework.aop.target.ThreadLocalTargetSource;

/**
 * Lets a retry invoke the rest of the interceptor chain again. Spring's invocation is single-use: proceeding
 * advances it through the chain. So an attempt proceeds a fresh copy taken with Spring's public
 * {@link ProxyMethodInvocation#invocableClone(Object...)} (as Spring's own retry interceptor does), and the
 * invocation the proxy handed us is never proceeded: it stays positioned just inside our interceptor, so every
 * copy runs exactly the interceptors inside ours, then the method, on the target the proxy obtained for this
 * call. A copy shares the argument array (the copy sees what the proxy received), as nothing inside ours
 * rewrites arguments in place.
 *
 * <p>A copy is one 48-byte allocation per attempt. It is skipped in the usual case, where our interceptor is the
 * innermost of the proxy's chain: proceeding the proxy's invocation from there invokes the method and leaves the
 * invocation where it was, so it can be proceeded again. Whether that holds is learnt once per proxy from the
 * proxy's advisors (Spring's public {@link Advised} view and its {@link DefaultAdvisorChainFactory}) and kept
 * against the proxy's identity, so the synchronous hot path reads one field and compares one reference. Should
 * advisors be added inside ours at runtime after that (an unfrozen proxy), the retry that finds out stops
 * retrying (the caller gets the failure, one WARN says why) rather than run an attempt without the new
 * interceptors, and the proxy is learnt again. A method whose calls come through many proxies (a prototype
 * bean's) gives up learning after {@value #PROXIES_LEARNT} of them and copies from then on.
 */
final class Reinvocation {

    private static final Logger log = LoggerFactory.getLogger(Reinvocation.class);

    private static final int PROXIES_LEARNT = 16;

    private static final AdvisorChainFactory CHAINS = new DefaultAdvisorChainFactory();

    private static final Learnt NOTHING = new Learnt(new WeakReference<>(null), false);

    /** The proxy last learnt, and whether our interceptor is its chain's innermost for this method. */
    private volatile Learnt learnt = NOTHING;

    /** Proxies learnt so far (racy: an approximate count is enough to stop learning). */
    private int proxiesLearnt;

    /**
     * A copy of {@code invocation} to proceed for one attempt when it is a Spring proxy's, else
     * {@code invocation} itself (the programmatic guard's call, which can be proceeded again).
     */
    static MethodInvocation copy(MethodInvocation invocation) {
        return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone(proxied.getArguments())
                : invocation;
    }

    /**
     * Whether {@code invocation} itself can be proceeded for every attempt: it is not a proxy's, or our
     * interceptor is innermost in its proxy's chain. When {@code false}, each attempt proceeds a {@link #copy}.
     */
    boolean reusable(MethodInvocation invocation) {
        if (!(invocation instanceof ProxyMethodInvocation proxied)) {
            return true;
        }
        Learnt last = learnt;
        Object proxy = proxied.getProxy();
        if (last.proxy().get() == proxy) {
            return last.innermost();
        }
        return learn(proxied, proxy);
    }

    /**
     * Checked before an attempt after the first when {@link #reusable} answered {@code true}: whether our
     * interceptor is still innermost in the proxy's chain, so the proxy's invocation runs again exactly what it
     * ran the first time. {@code false} (advisors changed) means this call must not be retried.
     *
     * <p>Kept small enough to be inlined where the JIT sees the call as cold (a retry's failure path), so that an
     * invocation which is not a proxy's (a woven call's, a guard's) is not passed to a method the JIT left out:
     * that would make it escape on every path and cost its allocation on every call.
     */
    boolean stillReusable(MethodInvocation invocation) {
        return !(invocation instanceof ProxyMethodInvocation proxied) || stillInnermost(proxied);
    }

    private boolean stillInnermost(ProxyMethodInvocation proxied) {
        Object proxy = proxied.getProxy();
        boolean innermost = innermost(proxied, proxy);
        if (!innermost) {
            learnt = new Learnt(new WeakReference<>(proxy), false);
            log.warn("Not retrying {}: an interceptor was added inside the resilience interceptor after this proxy "
                    + "was first called, and this call's first attempt already went past it; the next calls "
                    + "retry through it", proxied.getMethod());
        }
        return innermost;
    }

    /**
     * Warns when a later attempt of an asynchronous call is about to run on a target that the proxy's
     * {@link TargetSource} released when the method returned its future: a pooling target source may have lent it
     * to another caller, a prototype one has destroyed it. Spring offers no way to obtain another target for the
     * same invocation, so the attempt still runs; the warning says what to change.
     *
     * @return whether it warned
     */
    static boolean warnIfTargetReleased(MethodInvocation invocation) {
        if (!(invocation instanceof ProxyMethodInvocation proxied)
                || !(proxied.getProxy() instanceof Advised advised)) {
            return false;
        }
        TargetSource source = advised.getTargetSource();
        if (!(source instanceof AbstractPrototypeBasedTargetSource) || source instanceof ThreadLocalTargetSource) {
            return false; // a static, scoped, hot-swappable or thread-bound target outlives the call
        }
        log.warn("Asynchronous retries of {} run after the proxy has released its target to {}: the target may be "
                + "in use by another caller or destroyed. Use a singleton, scoped or thread-local target for a "
                + "method whose attempts outlive the call, or make the method synchronous",
                proxied.getMethod(), source.getClass().getSimpleName());
        return true;
    }

    private boolean learn(ProxyMethodInvocation proxied, Object proxy) {
        if (proxiesLearnt >= PROXIES_LEARNT) {
            return false;
        }
        proxiesLearnt++;
        boolean innermost = innermost(proxied, proxy);
        learnt = new Learnt(new WeakReference<>(proxy), innermost);
        return innermost;
    }

    private static boolean innermost(ProxyMethodInvocation proxied, Object proxy) {
        if (!(proxy instanceof Advised advised)) { // an opaque proxy: its chain cannot be read
            return false;
        }
        Object target = proxied.getThis();
        List<Object> chain = CHAINS.getInterceptorsAndDynamicInterceptionAdvice(advised, proxied.getMethod(),
                target != null ? target.getClass() : null);
        return !chain.isEmpty() && chain.get(chain.size() - 1) instanceof ResilienceInterceptor;
    }

    private record Learnt(WeakReference<Object> proxy, boolean innermost) {
    }
}
