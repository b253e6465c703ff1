package dev.openpayer.aws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.ActionType;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.HandshakePartyType;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.Organization;
import software.amazon.awssdk.services.organizations.model.Tag;

/** {@link OrganizationsGateway} over the SDK's {@link OrganizationsClient}. */
final class SdkOrganizationsGateway implements OrganizationsGateway {
    /** Guards against an endpoint that hands out NextTokens forever. */
    static final int MAX_PAGES = 10_000;

    private final OrganizationsClient client;

    SdkOrganizationsGateway(OrganizationsClient client) {
        this.client = client;
    }

    @Override
    public OrganizationInfo describeOrganization() {
        Organization o = call(() -> client.describeOrganization(r -> {}).organization());
        return new OrganizationInfo(o.id(), o.arn(), o.featureSetAsString(), o.masterAccountId(), o.masterAccountEmail(), false);
    }

    @Override
    public Handshake inviteAccount(String accountId, String notes, Map<String, String> tags) {
        String target = AwsInputs.accountId(accountId);
        String cleanNotes = AwsInputs.notes(notes);
        List<Tag> sdkTags = AwsInputs.tags(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        return handshake(call(() -> client.inviteAccountToOrganization(r -> {
                    r.target(t -> t.id(target).type(HandshakePartyType.ACCOUNT)).notes(cleanNotes);
                    if (!sdkTags.isEmpty()) {
                        r.tags(sdkTags);
                    }
                })
                .handshake()));
    }

    @Override
    public Handshake describeHandshake(String handshakeId) {
        String id = AwsInputs.handshakeId(handshakeId);
        return handshake(call(() -> client.describeHandshake(r -> r.handshakeId(id)).handshake()));
    }

    @Override
    public List<Handshake> listHandshakesForOrganization() {
        List<Handshake> all = new ArrayList<>();
        Set<String> seenTokens = new HashSet<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String next = token;
            ListHandshakesForOrganizationResponse response = call(() -> client.listHandshakesForOrganization(
                    r -> r.filter(f -> f.actionType(ActionType.INVITE)).maxResults(20).nextToken(next)));
            response.handshakes().stream().map(SdkOrganizationsGateway::handshake).forEach(all::add);
            token = response.nextToken();
            if (token == null || token.isEmpty()) {
                return all;
            }
            if (!seenTokens.add(token)) {
                throw new AwsRefusal(AwsRefusal.Reason.SERVICE_ERROR, null, "AWS returned the pagination token " + token + " twice");
            }
        }
        throw new AwsRefusal(AwsRefusal.Reason.SERVICE_ERROR, null, "more than " + MAX_PAGES + " pages of handshakes");
    }

    @Override
    public Handshake cancelHandshake(String handshakeId) {
        String id = AwsInputs.handshakeId(handshakeId);
        return handshake(call(() -> client.cancelHandshake(r -> r.handshakeId(id)).handshake()));
    }

    @Override
    public AwsAccount describeAccount(String accountId) {
        String id = AwsInputs.accountId(accountId);
        Account a = call(() -> client.describeAccount(r -> r.accountId(id)).account());
        return new AwsAccount(a.id(), a.arn(), a.email(), a.name(), accountState(a), joinedMethod(a), a.joinedTimestamp());
    }

    @Override
    public AccountCreation createAccount(String email, String accountName) {
        String cleanEmail = AwsInputs.email(email);
        String name = AwsInputs.accountName(accountName);
        return creation(call(() -> client.createAccount(r -> r.email(cleanEmail).accountName(name)).createAccountStatus()));
    }

    @Override
    public AccountCreation describeCreateAccountStatus(String createAccountRequestId) {
        String id = AwsInputs.createAccountRequestId(createAccountRequestId);
        return creation(call(() -> client.describeCreateAccountStatus(r -> r.createAccountRequestId(id)).createAccountStatus()));
    }

    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw SdkRefusals.map(e);
        }
    }

    static Handshake handshake(software.amazon.awssdk.services.organizations.model.Handshake h) {
        String target = h.parties().stream()
                .filter(p -> p.type() == HandshakePartyType.ACCOUNT)
                .map(p -> p.id())
                .findFirst()
                .orElseGet(() -> h.parties().stream()
                        .filter(p -> p.type() == HandshakePartyType.EMAIL)
                        .map(p -> p.id())
                        .findFirst()
                        .orElse(null));
        return new Handshake(h.id(), h.arn(), state(h.stateAsString()), target, h.requestedTimestamp(), h.expirationTimestamp());
    }

    /** AWS's state; a state this version does not know is treated as pending so that it is synchronised again. */
    static Handshake.State state(String value) {
        try {
            return Handshake.State.valueOf(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Handshake.State.REQUESTED;
        }
    }

    private static AwsAccount.State accountState(Account a) {
        String value = a.stateAsString();
        if (value == null) {
            // Older answers carry only the retired Status field (ACTIVE, SUSPENDED, PENDING_CLOSURE).
            value = a.statusAsString();
        }
        try {
            return value == null ? null : AwsAccount.State.valueOf(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AwsAccount.JoinedMethod joinedMethod(Account a) {
        try {
            return a.joinedMethodAsString() == null ? null : AwsAccount.JoinedMethod.valueOf(a.joinedMethodAsString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AccountCreation creation(CreateAccountStatus s) {
        AccountCreation.State state;
        try {
            state = AccountCreation.State.valueOf(s.stateAsString());
        } catch (IllegalArgumentException | NullPointerException e) {
            state = AccountCreation.State.IN_PROGRESS;
        }
        return new AccountCreation(s.id(), s.accountName(), state, s.accountId(), s.failureReasonAsString(), s.requestedTimestamp(),
                s.completedTimestamp());
    }
}
