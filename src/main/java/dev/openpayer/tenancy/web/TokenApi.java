package dev.openpayer.tenancy.web;

import dev.openpayer.tenancy.ApiToken;
import dev.openpayer.tenancy.ApiTokens;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "API tokens", description = "Your personal API tokens and who you are")
class TokenApi {
    private final ApiTokens tokens;

    TokenApi(ApiTokens tokens) {
        this.tokens = tokens;
    }

    record CreateToken(@NotBlank @Size(max = 100) String name, Integer expiresInDays) {}

    record CreatedTokenView(ApiToken token, String secret) {}

    record Me(UUID userId, String email, Role role, UUID organizationId, String organizationName, String organizationType) {}

    @GetMapping("/me")
    @Operation(summary = "The authenticated user and his organisation")
    Me me(Viewer viewer) {
        return new Me(viewer.userId(), viewer.email(), viewer.role(), viewer.organizationId(), viewer.organizationName(),
                viewer.organizationType().name());
    }

    @GetMapping("/tokens")
    @Operation(summary = "Your API tokens (secrets are never shown again)")
    List<ApiToken> list(Viewer viewer) {
        return tokens.mine(viewer);
    }

    @PostMapping("/tokens")
    @Operation(summary = "Create a personal API token; the secret is in this answer only. Use it as Authorization: Bearer <secret>")
    ResponseEntity<CreatedTokenView> create(Viewer viewer, @Valid @RequestBody CreateToken body) {
        ApiTokens.CreatedToken created = tokens.create(viewer, body.name(), body.expiresInDays());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.token().id()))
                .body(new CreatedTokenView(created.token(), created.secret()));
    }

    @GetMapping("/tokens/{id}")
    ApiToken get(Viewer viewer, @PathVariable UUID id) {
        return tokens.find(viewer, id);
    }

    @DeleteMapping("/tokens/{id}")
    @Operation(summary = "Revoke one of your API tokens")
    ApiToken revoke(Viewer viewer, @PathVariable UUID id) {
        return tokens.revoke(viewer, id);
    }
}
