package io.veza.contracts.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.MDC;

/** Puts the gateway's X-Request-Id into the logging context, so that a service's log lines name the request. */
@Provider
public class RequestIdLogging implements ContainerRequestFilter, ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        String id = request.getHeaderString(ProblemResponses.REQUEST_ID);
        if (id != null && id.length() <= 128) {
            MDC.put("requestId", id);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove("requestId");
    }
}
