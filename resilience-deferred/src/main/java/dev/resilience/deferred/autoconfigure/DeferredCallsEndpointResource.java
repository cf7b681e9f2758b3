package dev.resilience.deferred.autoconfigure;

import dev.resilience.autoconfigure.endpoint.ResilienceEndpointResource;
import dev.resilience.core.Quote;
import dev.resilience.deferred.DeferredCallScheduler;
import dev.resilience.deferred.DeferredCalls;
import dev.resilience.deferred.StoredCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/resilience/deferred}: {@code GET} lists stored calls a page at a time ({@code page} from 0,
 * {@code size} 1 to {@value DeferredCalls#MAX_PAGE_SIZE}, default {@value #DEFAULT_SIZE}), {@code GET .../{id}}
 * shows one, {@code POST .../{id}} with {@code {"replay": true}} makes it due now (a dead one too) and with
 * {@code {"discard": true}} removes it. Writes are served and secured like the endpoint's other writes.
 */
public final class DeferredCallsEndpointResource implements ResilienceEndpointResource {

    static final int DEFAULT_SIZE = 20;

    private final DeferredCalls calls;
    private final Supplier<@Nullable DeferredCallScheduler> scheduler;

    /** @param scheduler this replica's scheduler, asked to look for due calls after a replay; may supply null */
    public DeferredCallsEndpointResource(DeferredCalls calls, Supplier<@Nullable DeferredCallScheduler> scheduler) {
        this.calls = calls;
        this.scheduler = scheduler;
    }

    @Override
    public String path() {
        return "deferred";
    }

    @Override
    public WebEndpointResponse<Object> list(@Nullable String page, @Nullable String size) {
        Integer pageNumber = number(page, 0, 0, Integer.MAX_VALUE);
        Integer pageSize = number(size, DEFAULT_SIZE, 1, DeferredCalls.MAX_PAGE_SIZE);
        if (pageNumber == null) {
            return error(400, "'page' must be a whole number from 0; it is " + Quote.quoted(page));
        }
        if (pageSize == null) {
            return error(400, "'size' must be a whole number from 1 to " + DeferredCalls.MAX_PAGE_SIZE + "; it is "
                    + Quote.quoted(size));
        }
        List<StoredCall> found = calls.list((long) pageNumber * pageSize, pageSize);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("page", pageNumber);
        json.put("size", pageSize);
        json.put("total", calls.count());
        json.put("calls", found);
        return new WebEndpointResponse<>(json);
    }

    @Override
    public WebEndpointResponse<Object> find(String id) {
        return calls.find(id).<WebEndpointResponse<Object>>map(WebEndpointResponse::new)
                .orElseGet(() -> notFound(id));
    }

    @Override
    public WebEndpointResponse<Object> change(String id, @Nullable Map<String, Object> body) {
        if (body == null || body.size() != 1
                || !(Boolean.TRUE.equals(body.get("replay")) || Boolean.TRUE.equals(body.get("discard")))) {
            return error(400, "the body must be exactly {\"replay\": true} or {\"discard\": true}");
        }
        if (body.containsKey("discard")) {
            return calls.discard(id) ? new WebEndpointResponse<>(Map.of("id", id, "discarded", true)) : notFound(id);
        }
        if (!calls.replayNow(id)) {
            return notFound(id);
        }
        DeferredCallScheduler local = scheduler.get();
        if (local != null) {
            local.checkNow();
        }
        Optional<StoredCall> call = calls.find(id);
        // Already replayed and removed by the time it is read: say so rather than 404.
        return new WebEndpointResponse<>(call.<Object>map(found -> found).orElseGet(() -> Map.of("id", id,
                "replayed", true)));
    }

    private static @Nullable Integer number(@Nullable String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            return value < min || value > max ? null : value;
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static WebEndpointResponse<Object> notFound(String id) {
        return error(404, "no stored call with id " + Quote.quoted(id));
    }

    private static WebEndpointResponse<Object> error(int status, String reason) {
        return new WebEndpointResponse<>(Map.of("status", status, "error", reason), status);
    }
}
