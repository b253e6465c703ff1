package dev.openpayer.web;

import dev.openpayer.shared.ConflictException;
import dev.openpayer.shared.ConsolePage;
import dev.openpayer.shared.ForbiddenException;
import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.shared.NotFoundException;
import dev.openpayer.tenancy.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.validation.BindException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Error pages for the console's HTML controllers (those marked {@link ConsolePage}); API controllers keep
 * their problem details. Objects out of the viewer's scope answer exactly like missing ones.
 */
@ControllerAdvice(annotations = ConsolePage.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ConsoleExceptionHandler {
    private final UserAccounts userAccounts;

    ConsoleExceptionHandler(UserAccounts userAccounts) {
        this.userAccounts = userAccounts;
    }

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(HttpServletRequest request) {
        return page(request, HttpStatus.NOT_FOUND, "Page not found",
                "What you asked for does not exist, or it is not within your organisation's scope.", List.of());
    }

    @ExceptionHandler(ForbiddenException.class)
    ModelAndView forbidden(HttpServletRequest request, ForbiddenException e) {
        return page(request, HttpStatus.FORBIDDEN, "Not allowed", e.getMessage(), List.of());
    }

    @ExceptionHandler(InvalidInputException.class)
    ModelAndView invalid(HttpServletRequest request, InvalidInputException e) {
        return page(request, HttpStatus.BAD_REQUEST, "The request could not be carried out",
                "Nothing was changed. Go back and correct the following:",
                e.errors().stream().map(f -> label(f.field()) + " " + f.message()).toList());
    }

    @ExceptionHandler(ConflictException.class)
    ModelAndView conflict(HttpServletRequest request, ConflictException e) {
        return page(request, HttpStatus.CONFLICT, "This clashes with the current state", e.getMessage() + ". Nothing was changed.", List.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView typeMismatch(HttpServletRequest request, MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(PathVariable.class)) {
            return notFound(request);
        }
        return page(request, HttpStatus.BAD_REQUEST, "Invalid request",
                "\"" + e.getValue() + "\" is not a valid value for " + label(e.getName()) + ".", List.of());
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, ServletRequestBindingException.class, BindException.class})
    ModelAndView badRequest(HttpServletRequest request, Exception e) {
        return page(request, HttpStatus.BAD_REQUEST, "Invalid request", "The request is missing a value or has one of the wrong kind.", List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ModelAndView methodNotSupported(HttpServletRequest request) {
        return page(request, HttpStatus.METHOD_NOT_ALLOWED, "Not available", "This address does not accept this kind of request.", List.of());
    }

    private ModelAndView page(HttpServletRequest request, HttpStatus status, String title, String message, List<String> details) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("title", title);
        page.addObject("message", message);
        page.addObject("details", details);
        page.addObject("currentViewer", ConsoleModel.viewerOf(userAccounts, request.getUserPrincipal()));
        page.addObject("currentPath", request.getRequestURI().substring(request.getContextPath().length()));
        return page;
    }

    /** "paymentTermsDays" → "payment terms days". */
    static String label(String field) {
        return field == null ? "" : field.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }
}
