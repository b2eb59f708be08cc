"""Pathway data: episodes, phases, case managers, teams, plans and reviews, referrals and
journal entries, for the demo and at volume.

``DemoPathways`` writes a small, believable story for the demo clients through the
pathway services, as professionals would (so that the access log has the rows real use
would leave); the few timestamps the services always set to "now" (when a referral was
sent or answered, when a case manager started, when a plan version was saved) are then
moved back to where the story puts them. Idempotent: a demo client that has an episode
already is left alone.

``PathwaySeeder`` generates pathways for volume clients with bulk inserts, chunk by chunk
together with the clients, deterministically for the seed, with no access-log rows.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients import identity_storage
from polku.clients.models import Client
from polku.pathways.alerts import RefreshReport, refresh_alerts
from polku.pathways.enums import (
    RESPONSE_DAYS,
    DeclineGround,
    EndReason,
    EntryType,
    ReferralStatus,
    Urgency,
)
from polku.pathways.models import (
    CaseManagerAssignment,
    Episode,
    Goal,
    GoalAttainment,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Programme,
    Referral,
    TeamMember,
)
from polku.pathways.services import (
    ActionInput,
    GoalInput,
    accept_referral,
    add_journal_entry,
    add_team_member,
    change_phase,
    close_referral,
    consents_for,
    decline_referral,
    end_episode,
    goal_snapshot,
    mark_referral_received,
    open_episode,
    propose_handover,
    review_plan,
    save_plan,
    send_referral,
)
from polku.policy.actors import Actor
from polku.policy.enums import DataCategory, LegalBasis, Purpose, Register
from polku.synthetic.demo import (
    DEMO_CLIENTS,
    DEMO_ORGANISATIONS,
    DEMO_PROFESSIONALS,
    EMPLOYMENT_AREA,
    HEALTH_SERVICES,
    KELA,
    NGO,
    REHABILITATION_CENTRE,
    SOCIAL_SERVICES,
    DemoClient,
)

if TYPE_CHECKING:
    from polku.synthetic.volume import PlannedClient, ServingOrganisation, VolumeReport

SHIPPED_PROGRAMMES = (
    "job-coaching",
    "multi-sector-joint-service",
    "social-rehabilitation",
    "work-ability-project",
)

# A goal's importance and difficulty: unweighted, or weighing 2 or 3.
WEIGHTS: list[tuple[int | None, int | None]] = [(None, None), (2, 1), (3, 1)]
# Words for plans, journal entries and referrals. Goals are in the client's own words.
GOALS = [
    "Haluan päästä takaisin työelämään osa-aikaisesti.",
    "Haluan löytää työpaikan, jossa saan tehdä töitä käsilläni.",
    "Haluan jaksaa arjessa paremmin ja nukkua yöni.",
    "Haluan, että päivissäni on säännöllinen rytmi.",
    "Haluan aloittaa opiskelun ja saada ammatin.",
    "Haluan saada raha-asiani järjestykseen.",
    "Haluan kokeilla, millainen työ sopii terveydelleni.",
    "Haluan oppia suomea niin hyvin, että pärjään työpaikalla.",
    "Haluan saada ajokortin, jotta pääsen töihin.",
    "Haluan käydä kuntouttavassa työtoiminnassa kolmena päivänä viikossa.",
    "Haluan uskaltaa lähteä kotoa ja tavata ihmisiä.",
    "Haluan selvittää, voinko vielä palata entiseen ammattiini.",
    "Haluan löytää harjoittelupaikan omalta alaltani.",
    "Haluan vähentää alkoholinkäyttöä ja pysyä raittiina.",
    "Haluan oman asunnon.",
    "Haluan, että selkäni kestää kevyttä työtä.",
    "Haluan suorittaa peruskoulun loppuun.",
    "Haluan työkokeiluun, jossa voin näyttää osaamiseni.",
]
HELPING = [
    "Motivoitunut muutokseen ja sitoutunut tapaamisiin.",
    "Aiempaa työkokemusta kaupan ja varastoalan tehtävistä.",
    "Tukena perhe ja ystävät.",
    "Kiinnostus käsillä tekemiseen ja liikuntaan.",
    "Hyvä yhteistyö terveysaseman kanssa.",
    "Säännöllinen vuorokausirytmi on jo osin palannut.",
    "Ammatillinen koulutus suoritettu.",
]
HINDERING = [
    "Pitkä työttömyys ja epävarmuus omasta osaamisesta.",
    "Kipu ja väsymys, jotka rajoittavat fyysistä työtä.",
    "Jännittäminen uusissa tilanteissa.",
    "Velkoja perinnässä.",
    "Suomen kielen taito on vielä alkeistasolla.",
    "Asuminen on epävarmaa.",
    "Pitkät välimatkat eikä omaa autoa.",
    "Lastenhoidon järjestäminen on vaikeaa.",
]
SERVICES = [
    "Sosiaalinen kuntoutus",
    "Kuntouttava työtoiminta",
    "Työhönvalmennus",
    "Työkokeilu",
    "Kelan ammatillinen kuntoutus",
    "Talous- ja velkaneuvonta",
    "Mielenterveyspalvelut",
    "Opinto-ohjaus",
]
WORKING_METHODS = [
    "Tapaamiset kerran kuukaudessa, puhelinaika tarvittaessa.",
    "Viikoittainen puhelu ja verkostopalaveri kolmen kuukauden välein.",
    "Tapaamiset vuorotellen toimistolla ja etänä.",
    "Kotikäynnit alkuvaiheessa, myöhemmin tapaamiset toimistolla.",
]
ACTIONS = [
    "Varataan aika työkykyarvioon.",
    "Haetaan kuntouttavan työtoiminnan paikkaa.",
    "Päivitetään ansioluettelo.",
    "Ilmoittaudutaan ryhmätoimintaan.",
    "Selvitetään opiskelumahdollisuudet.",
    "Varataan aika talous- ja velkaneuvontaan.",
    "Haetaan Kelan ammatillista kuntoutusta.",
    "Tutustutaan työkokeilupaikkaan.",
    "Haetaan vuokra-asuntoa.",
    "Varataan lääkäriaika B-lausuntoa varten.",
]
JOURNAL_TEXTS: dict[EntryType, list[str]] = {
    EntryType.MEETING: [
        "Tapaaminen toimistolla. Käytiin läpi suunnitelman tilanne ja sovittiin seuraavat "
        "askeleet.",
        "Kotikäynti. Asiakas kertoi arjen sujuneen aiempaa paremmin.",
        "Tapaaminen. Asiakas on käynyt ryhmässä säännöllisesti ja kokee jaksavansa paremmin.",
        "Tapaaminen. Keskusteltiin työkokeilun vaihtoehdoista ja asiakkaan toiveista.",
    ],
    EntryType.PHONE_CALL: [
        "Puhelu asiakkaalle. Kuulumiset kysytty, seuraava tapaaminen sovittu.",
        "Asiakas soitti ja kysyi työkokeilun aloituspäivästä.",
        "Puhelu. Asiakas kertoi flunssasta; tapaaminen siirretään ensi viikkoon.",
    ],
    EntryType.MULTI_PROFESSIONAL_MEETING: [
        "Verkostopalaveri: mukana asiakas, sosiaalityö ja työllisyyspalvelut. Sovittiin "
        "työnjaosta.",
        "Monialainen palaveri. Työkykyarvion tulokset käytiin läpi yhdessä asiakkaan kanssa.",
    ],
    EntryType.OBSERVATION: [
        "Asiakas ei saapunut sovittuun tapaamiseen. Lähetetty viesti ja uusi aika.",
        "Työkokeilupaikan ohjaajan palaute: asiakas on täsmällinen ja oppii nopeasti.",
    ],
    EntryType.DECISION: [
        "Päätös: kuntouttava työtoiminta myönnetty kolmeksi kuukaudeksi.",
        "Päätös: asiakkaalle myönnetty sosiaalinen kuntoutus.",
    ],
}
ENTRY_TYPE_WEIGHTS = {
    EntryType.MEETING: 35,
    EntryType.PHONE_CALL: 35,
    EntryType.MULTI_PROFESSIONAL_MEETING: 10,
    EntryType.OBSERVATION: 15,
    EntryType.DECISION: 5,
}
CONTACT_TYPES = [EntryType.MEETING, EntryType.PHONE_CALL]
REFERRAL_REASONS = [
    "Pyydämme työkykyarviota ennen työkokeilun suunnittelua.",
    "Asiakas tarvitsee tukea työnhakuun ja työpaikalle sijoittumiseen.",
    "Asiakas toivoo pääsyä ryhmätoimintaan arjen rytmin tueksi.",
    "Pyydämme selvittämään ammatillisen kuntoutuksen mahdollisuudet.",
    "Asiakas tarvitsee talous- ja velkaneuvontaa.",
    "Asiakas haluaa selvittää opiskelumahdollisuuksia.",
]
DECLINE_REASONS = [
    "Asiakas ei tällä hetkellä täytä palvelun kriteereitä.",
    "Palvelu on täynnä; ohjatkaa asiakas lähimpään toiseen toimipisteeseen.",
    "Asia hoidetaan jo olemassa olevan asiakkuuden kautta.",
    "Asiakas kieltäytyi palvelusta.",
]
TEAM_ROLES = [
    "Työhönvalmentaja",
    "Terveydenhoitaja",
    "Sosiaaliohjaaja",
    "Työkykykoordinaattori",
    "Psykologi",
    "Kelan yhteyshenkilö",
    "Opinto-ohjaaja",
]
END_REASON_WEIGHTS = {
    EndReason.OPEN_LABOUR_MARKET: 15,
    EndReason.SUBSIDISED_WORK: 10,
    EndReason.EDUCATION: 12,
    EndReason.REHABILITATION: 10,
    EndReason.PENSION: 5,
    EndReason.OTHER_SERVICE: 15,
    EndReason.MOVED: 8,
    EndReason.CLIENT_ENDED: 10,
    EndReason.NO_CONTACT: 10,
    EndReason.OTHER: 5,
}
URGENCY_WEIGHTS = {Urgency.URGENT: 10, Urgency.NORMAL: 70, Urgency.NON_URGENT: 20}
GAS_WEIGHTS = {-2: 8, -1: 25, 0: 40, 1: 20, 2: 7}


def _tz_at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=timezone.get_current_timezone())


# The demo ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """An action of a plan: what, for which goal, whose, due and done (days from today;
    negative is in the past)."""

    text: str
    goal: int | None
    owner: str  # a demo user name, an organisation name, or "client"
    due: int
    done: int | None = None


@dataclass(frozen=True)
class Factors:
    """What helps and hinders the client, and what was agreed, in a plan."""

    helping: str
    hindering: str
    services: str
    methods: str


class DemoPathways:
    """The demo clients' pathways, written through the services by the demo professionals.

    The social worker ``sosiaalityontekija`` manages six active episodes that between them
    raise every kind of alert, opened one more that has no case manager yet, proposes a
    handover to ``sosiaaliohjaaja`` and ended one episode when the client found work.
    Referrals between the demo organisations are in every state; ``tyohonvalmentaja``
    has two waiting for an answer.
    """

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.users = {
            user.username: user
            for user in User.objects.filter(
                username__in=[person.username for person in DEMO_PROFESSIONALS]
            )
        }
        self.organisations: dict[str, Organisation] = {}
        for organisation in Organisation.objects.filter(
            name__in=[name for name, *_rest in DEMO_ORGANISATIONS]
        ).order_by("pk"):
            self.organisations.setdefault(organisation.name, organisation)
        self.programmes = {programme.code: programme for programme in Programme.objects.all()}
        self.created = 0

    # Helpers ------------------------------------------------------------------------------

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def at(self, days: int, hour: int = 10, minute: int = 0) -> datetime:
        return _tz_at(self.ago(days), hour, minute)

    def actor(self, username: str) -> Actor:
        return Actor.for_user(self.users[username])

    def unit(self, organisation: str, name: str) -> Unit:
        return Unit.objects.get(organisation=self.organisations[organisation], name=name)

    def membership(self, username: str, organisation: str) -> Membership:
        return Membership.objects.get(
            user=self.users[username], organisation=self.organisations[organisation]
        )

    @staticmethod
    def find(spec: DemoClient) -> Client | None:
        if spec.identity_code:
            found = Client.objects.filter(
                identity_code_hash=identity_storage.lookup_hash(spec.identity_code)
            ).first()
            if found is not None:
                return found
        return Client.objects.filter(
            first_names=spec.first_names, last_name=spec.last_name, birth_date=spec.birth_date
        ).first()

    def episode(
        self,
        username: str,
        client: Client,
        programme: str,
        organisation: str,
        started: int,
        *,
        phases: Sequence[tuple[str, int]] = (),
        managed: bool = True,
        unit: Unit | None = None,
    ) -> Episode:
        user = self.users[username]
        episode = open_episode(
            actor=self.actor(username),
            client=client,
            programme=self.programmes[programme],
            organisation=self.organisations[organisation],
            unit=unit,
            started_on=self.ago(started),
            case_manager=user if managed else None,
        )
        # The case manager was named when the episode started, not when the demo was loaded.
        CaseManagerAssignment.objects.filter(episode=episode).update(
            started_at=self.at(started, 9, 30)
        )
        for phase, days in phases:
            change_phase(
                actor=self.actor(username),
                episode=episode,
                phase=phase,
                started_on=self.ago(days),
            )
        self.created += 1
        return episode

    def action(self, act: Act) -> ActionInput:
        user, organisation = None, None
        if act.owner in self.users:
            user = self.users[act.owner]
            membership = user.active_memberships().select_related("organisation").first()
            organisation = membership.organisation if membership else None
        elif act.owner != "client":
            organisation = self.organisations[act.owner]
        return ActionInput(
            text=act.text,
            goal_position=act.goal,
            owner_user=user,
            owner_organisation=organisation,
            owner_is_client=act.owner == "client",
            due_on=self.ago(-act.due),
            done_on=None if act.done is None else self.ago(-act.done),
        )

    def plan(
        self,
        username: str,
        episode: Episode,
        saved: int,
        goals: Sequence[GoalInput],
        acts: Sequence[Act],
        factors: Factors,
        *,
        next_review: int,
        change_note: str = "",
    ) -> Plan:
        """Save a version of the plan ``saved`` days ago; goals already in the plan with the
        same text keep their identity."""
        existing = {
            goal.text: goal.pk for goal in Goal.objects.filter(plan__episode=episode).order_by("pk")
        }
        plan = save_plan(
            actor=self.actor(username),
            episode=episode,
            goals=[replace(goal, goal_id=existing.get(goal.text)) for goal in goals],
            actions=[self.action(act) for act in acts],
            helping_factors=factors.helping,
            hindering_factors=factors.hindering,
            services=factors.services,
            working_methods=factors.methods,
            next_review_on=self.ago(-next_review),
            client_agreed_on=self.ago(saved),
            change_note=change_note,
        )
        PlanVersion.objects.filter(plan=plan, number=plan.version).update(
            saved_at=self.at(saved, 13)
        )
        return plan

    def review(
        self,
        username: str,
        plan: Plan,
        reviewed: int,
        levels: Sequence[int],
        note: str,
        *,
        next_review: int,
        requested_by_client: bool = False,
    ) -> PlanReview:
        goals = list(plan.goals.order_by("position", "pk").values_list("pk", flat=True))
        return review_plan(
            actor=self.actor(username),
            plan=plan,
            attainments=dict(zip(goals, levels, strict=True)),
            reviewed_on=self.ago(reviewed),
            note=note,
            requested_by_client=requested_by_client,
            next_review_on=self.ago(-next_review),
        )

    def journal(
        self,
        username: str,
        client: Client,
        organisation: str,
        register: Register,
        episode: Episode | None,
        entries: Sequence[tuple[int, EntryType, str]],
    ) -> None:
        for days, entry_type, text in entries:
            add_journal_entry(
                actor=self.actor(username),
                client=client,
                organisation=self.organisations[organisation],
                register=register,
                entry_type=entry_type,
                text=text,
                occurred_on=self.ago(days),
                episode=episode,
            )

    def referral(
        self,
        username: str,
        client: Client,
        sender: str,
        receiver: str,
        reason: str,
        *,
        sent: int,
        shared: Sequence[DataCategory] = (DataCategory.PLAN,),
        urgency: Urgency = Urgency.NORMAL,
        episode: Episode | None = None,
        to_unit: Unit | None = None,
    ) -> Referral:
        # What the client has consented to share with the receiver, as a worker would.
        consented = consents_for(
            client,
            self.organisations[receiver],
            self.organisations[sender],
            Purpose.SERVICE_COORDINATION,
        )
        referral = send_referral(
            actor=self.actor(username),
            client=client,
            from_organisation=self.organisations[sender],
            to_organisation=self.organisations[receiver],
            reason=reason,
            urgency=urgency,
            shared_categories=[category for category in shared if category in consented],
            episode=episode,
            to_unit=to_unit,
        )
        sent_at = self.at(sent, 11)
        respond_by = self.ago(sent) + timedelta(days=RESPONSE_DAYS[urgency])
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at, respond_by=respond_by)
        referral.refresh_from_db()
        return referral

    @staticmethod
    def backdate(referral: Referral, **moments: datetime) -> None:
        """Move the answer's timestamps (received_at, answered_at, closed_at) back."""
        Referral.objects.filter(pk=referral.pk).update(**moments)

    # The story ----------------------------------------------------------------------------

    def seed(self) -> int:
        """Write the stories of the demo clients that have no episode yet; return how many
        episodes this run opened."""
        stories = {
            "Lehtinen": self.lehtinen,
            "Rantanen": self.rantanen,
            "Salo": self.salo,
            "Heikkilä": self.heikkila,
            "Koskinen": self.koskinen,
            "Virtanen": self.virtanen,
            "Heinonen": self.heinonen,
            "Nieminen": self.nieminen,
            "Holmström": self.holmstrom,
            "Mäkelä": self.makela,
            "Järvinen": self.jarvinen,
        }
        for spec in DEMO_CLIENTS:
            story = stories.get(spec.last_name)
            if story is None:
                continue
            client = self.find(spec)
            if client is None or Episode.objects.filter(client=client).exists():
                continue
            story(client)
        return self.created

    def lehtinen(self, client: Client) -> None:
        """Social rehabilitation going well, reviewed twice; now waiting for job coaching."""
        sw = "sosiaalityontekija"
        episode = self.episode(
            sw,
            client,
            "social-rehabilitation",
            SOCIAL_SERVICES,
            380,
            phases=[("rehabilitation", 300), ("follow_up", 35)],
            unit=self.unit(SOCIAL_SERVICES, "Sosiaalinen kuntoutus"),
        )
        add_team_member(
            actor=self.actor(sw),
            episode=episode,
            membership=self.membership("sosiaaliohjaaja", SOCIAL_SERVICES),
            team_role="Ryhmätoiminnan ohjaaja",
        )
        goals = [
            GoalInput(
                "Haluan päästä takaisin työelämään osa-aikaisesti.",
                baseline="Yli kolme vuotta työttömänä. Jaksaminen ei vielä riitä säännölliseen "
                "työhön.",
                levels=(
                    "Aino ei jaksa osallistua kodin ulkopuoliseen toimintaan.",
                    "Aino on työttömänä eikä työhön paluusta ole suunnitelmaa.",
                    "Aino on aloittanut työkokeilun kaupan alalla kahtena päivänä viikossa.",
                    "Aino tekee työkokeilua tai osa-aikatyötä kolmena päivänä viikossa.",
                    "Aino on solminut osa-aikaisen työsopimuksen.",
                ),
                importance=3,
                difficulty=3,
            ),
            GoalInput(
                "Haluan, että minulla on säännöllinen päivärytmi ja jaksan lähteä kotoa.",
                baseline="Aino nukkuu päivisin ja lähtee kotoa harvoin.",
                levels=(
                    "Aino ei lähde kotoa lainkaan viikkoon.",
                    "Aino lähtee kotoa kerran tai kaksi viikossa.",
                    "Aino herää arkisin kahdeksalta ja käy ryhmässä kahdesti viikossa.",
                    "Lisäksi Aino ulkoilee koiran kanssa joka päivä.",
                    "Aino pitää päivärytmin myös lomilla ja käy ryhmässä kolmesti viikossa.",
                ),
                importance=3,
                difficulty=2,
            ),
            GoalInput(
                "Haluan hoitaa raha-asiani itse niin, etteivät laskut jää rästiin.",
                baseline="Laskuja on perinnässä, eikä Aino avaa postiaan.",
                levels=(
                    "Uusia laskuja menee perintään.",
                    "Aino avaa postinsa, mutta laskut jäävät maksamatta.",
                    "Aino maksaa laskunsa ajallaan ja on hakenut velkajärjestelyä.",
                    "Velkajärjestely on vahvistettu, ja laskut maksetaan ajallaan.",
                    "Aino tekee itse kuukausibudjetin ja säästää pieniä summia.",
                ),
                importance=2,
                difficulty=2,
            ),
        ]
        factors = Factors(
            helping="Aino on motivoitunut ja hänellä on kokemusta kaupan alalta. Tukena "
            "sisko ja koira, jonka kanssa hän ulkoilee joka päivä.",
            hindering="Yli kolmen vuoden työttömyys, uupumus ja jännittäminen uusissa "
            "tilanteissa. Velkoja perinnässä.",
            services="Sosiaalinen kuntoutus (ryhmätoiminta kahdesti viikossa), talous- ja "
            "velkaneuvonta, monialainen yhteispalvelu työllisyysalueella.",
            methods="Tapaaminen kerran kuukaudessa, puhelinaika tarvittaessa. Aino pitää "
            "päiväkirjaa jaksamisestaan.",
        )
        plan = self.plan(
            sw,
            episode,
            360,
            goals,
            [
                Act("Ilmoittautuminen sosiaalisen kuntoutuksen ryhmään.", 1, sw, -340, -345),
                Act("Ajanvaraus talous- ja velkaneuvontaan.", 2, "client", -320, -330),
                Act("Ryhmätoiminta kahtena päivänä viikossa.", 1, "sosiaaliohjaaja", -200),
            ],
            factors,
            next_review=-178,
        )
        self.review(
            sw,
            plan,
            200,
            [-1, 0, -1],
            "Ryhmätoiminta on sujunut ja päivärytmi vakiintunut. Velkaneuvonnan aika siirtyi; "
            "työelämätavoite tuntuu vielä kaukaiselta.",
            next_review=-20,
        )
        plan = self.plan(
            sw,
            episode,
            190,
            goals,
            [
                Act("Velkajärjestelyhakemus käräjäoikeudelle.", 2, "client", -120, -130),
                Act("Tutustuminen työhönvalmennukseen.", 0, NGO, 30),
                Act("Osa-aikatyön kokeilu kaupan alalla.", 0, "client", 120),
            ],
            factors,
            next_review=-10,
            change_note="Arvioinnin jälkeen työelämätavoitteeseen lisättiin työhönvalmennus.",
        )
        self.review(
            sw,
            plan,
            45,
            [0, 1, 1],
            "Aino jaksaa hyvin ja haluaa kokeilla osa-aikatyötä. Velkajärjestely on vahvistettu.",
            next_review=120,
            requested_by_client=True,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (
                    380,
                    EntryType.MEETING,
                    "Alkuarviointi. Aino kertoi haluavansa takaisin "
                    "työelämään, mutta jaksaminen ei vielä riitä kokoaikatyöhön.",
                ),
                (
                    200,
                    EntryType.MULTI_PROFESSIONAL_MEETING,
                    "Verkostopalaveri työllisyysalueen "
                    "asiantuntijan kanssa: sovittiin, että sosiaalinen kuntoutus jatkuu ja "
                    "työhönvalmennus aloitetaan syksyllä.",
                ),
                (
                    45,
                    EntryType.MEETING,
                    "Suunnitelman arviointi. Aino toivoo työhönvalmennusta "
                    "kaupan alan työkokeilun löytämiseksi.",
                ),
                (
                    18,
                    EntryType.PHONE_CALL,
                    "Puhelu: Aino kysyi työhönvalmennuksen "
                    "aloittamisesta. Kerroin, että lähete on lähdössä.",
                ),
            ],
        )
        self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            NGO,
            "Aino haluaa palata osa-aikatyöhön. Toivomme työhönvalmennusta kaupan alan "
            "työkokeilun etsimiseen ja työpaikalla pärjäämisen tueksi.",
            sent=4,
            shared=(DataCategory.PLAN, DataCategory.EMPLOYMENT),
            episode=episode,
            to_unit=self.unit(NGO, "Työhönvalmennus"),
        )

    def rantanen(self, client: Client) -> None:
        """Long social rehabilitation, too long in one phase; Kela's vocational
        rehabilitation inquiry accepted and completed."""
        sw = "sosiaalityontekija"
        episode = self.episode(
            sw,
            client,
            "social-rehabilitation",
            SOCIAL_SERVICES,
            700,
            phases=[("rehabilitation", 610)],
        )
        add_team_member(
            actor=self.actor(sw),
            episode=episode,
            membership=self.membership("sosiaaliohjaaja", SOCIAL_SERVICES),
            team_role="Ryhmätoiminnan ohjaaja",
        )
        goals = [
            GoalInput(
                "Haluan jaksaa liikkua kodin ulkopuolella joka päivä, vaikka selkä on kipeä.",
                importance=2,
                difficulty=1,
            ),
            GoalInput(
                "Haluan selvittää, millaiseen työhön kuntoni vielä riittää.",
                importance=2,
                difficulty=1,
            ),
        ]
        factors = Factors(
            helping="Pitkä työhistoria rakennusalalla. Mikko pitää kalastuksesta ja "
            "liikkuu mielellään luonnossa.",
            hindering="Selkäkipu, joka rajoittaa istumista ja nostamista. Mieliala on ollut "
            "matala työkyvyttömyyden pitkittyessä.",
            services="Sosiaalinen kuntoutus, fysioterapia terveysasemalla, Kelan "
            "ammatillisen kuntoutuksen selvitys.",
            methods="Tapaamiset kuukausittain, verkostopalaveri Kelan kanssa tarvittaessa.",
        )
        plan = self.plan(
            sw,
            episode,
            640,
            goals,
            [
                Act("Kuntosaliryhmä kahdesti viikossa.", 0, "client", -560, -570),
                Act("Ajanvaraus lääkärille B-lausuntoa varten.", 1, sw, -400, -410),
            ],
            factors,
            next_review=-458,
        )
        self.review(
            sw, plan, 460, [-1, -1], "Selkäkipu on pahentunut; ryhmä jäi kesken.", next_review=-280
        )
        self.review(
            sw,
            plan,
            280,
            [0, -1],
            "Liikkuminen sujuu paremmin. Työkyvyn selvitys odottaa lausuntoa.",
            next_review=-140,
        )
        self.review(
            sw,
            plan,
            140,
            [0, 0],
            "Kelan ammatillisen kuntoutuksen selvitys on aloitettu.",
            next_review=40,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (
                    700,
                    EntryType.MEETING,
                    "Alkutapaaminen. Mikko on ollut sairauslomalla ja työttömänä yli kaksi vuotta.",
                ),
                (300, EntryType.PHONE_CALL, "Puhelu: lääkärin B-lausunto on valmis."),
                (
                    150,
                    EntryType.MULTI_PROFESSIONAL_MEETING,
                    "Verkostopalaveri Kelan "
                    "kuntoutusneuvojan kanssa: ammatillisen kuntoutuksen selvitys käynnistetään.",
                ),
                (
                    12,
                    EntryType.MEETING,
                    "Tapaaminen. Kuntoutusselvitys on valmis; Mikko "
                    "harkitsee kevyen asennustyön koulutusta.",
                ),
            ],
        )
        referral = self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            KELA,
            "Pyydämme selvittämään ammatillisen kuntoutuksen mahdollisuudet: selkäsairaus "
            "estää paluun rakennusalalle.",
            sent=145,
            episode=episode,
        )
        kela = self.actor("kelaneuvoja")
        accept_referral(
            actor=kela,
            referral=referral,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.KELA_REHABILITATION_ACT,
        )
        close_referral(actor=kela, referral=referral, status=ReferralStatus.COMPLETED)
        self.backdate(
            referral,
            received_at=self.at(142, 9),
            answered_at=self.at(140, 14),
            closed_at=self.at(30, 15),
        )

    def salo(self, client: Client) -> None:
        """Social rehabilitation whose agreed review date has passed; job coaching at the
        NGO accepted and under way."""
        sw, coach = "sosiaalityontekija", "tyohonvalmentaja"
        episode = self.episode(
            sw,
            client,
            "social-rehabilitation",
            SOCIAL_SERVICES,
            140,
            phases=[("rehabilitation", 70)],
        )
        self.plan(
            sw,
            episode,
            120,
            [
                GoalInput(
                    "Haluan oppia jännittämään vähemmän, kun tapaan uusia ihmisiä.",
                    importance=2,
                    difficulty=1,
                ),
                GoalInput(
                    "Haluan löytää harjoittelupaikan, jossa voin käyttää piirtämisen taitojani.",
                    importance=2,
                    difficulty=1,
                ),
            ],
            [
                Act("Ryhmätoiminta kerran viikossa.", 0, "sosiaaliohjaaja", -90, -95),
                Act("Lähete työhönvalmennukseen.", 1, sw, -95, -96),
            ],
            Factors(
                helping="Johanna on taitava piirtäjä ja hänellä on graafisen alan opintoja.",
                hindering="Sosiaalisten tilanteiden jännittäminen; keskeytyneet opinnot.",
                services="Sosiaalinen kuntoutus, työhönvalmennus (Askel eteenpäin ry).",
                methods="Tapaamiset kahden viikon välein, viestit tarvittaessa.",
            ),
            next_review=-10,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (
                    140,
                    EntryType.MEETING,
                    "Ensitapaaminen. Johanna haluaa päästä opinnoissa "
                    "tai työssä eteenpäin, mutta jännittää uusia paikkoja.",
                ),
                (
                    95,
                    EntryType.PHONE_CALL,
                    "Puhelu: Johanna suostui lähetteeseen työhönvalmennukseen.",
                ),
                (25, EntryType.MEETING, "Tapaaminen. Työkokeilu painotalossa on alkanut hyvin."),
            ],
        )
        referral = self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            NGO,
            "Johanna tarvitsee tukea työkokeilupaikan löytämiseen graafiselta alalta.",
            sent=96,
            episode=episode,
        )
        accept_referral(
            actor=self.actor(coach),
            referral=referral,
            register=Register.OTHER,
            legal_basis=LegalBasis.CLIENT_AGREEMENT,
        )
        self.backdate(referral, received_at=self.at(93, 9), answered_at=self.at(91, 13))
        coaching = self.episode(coach, client, "job-coaching", NGO, 88, phases=[("employment", 30)])
        self.plan(
            coach,
            coaching,
            80,
            [GoalInput("Haluan kokeilla työtä painotalossa kolmena päivänä viikossa.")],
            [Act("Työkokeilusopimus painotalon kanssa.", 0, coach, -35, -31)],
            Factors(
                helping="Vahva piirustustaito ja kiinnostus painoalaan.",
                hindering="Jännittää uusia työtovereita.",
                services="Työhönvalmennus, työkokeilu.",
                methods="Työhönvalmentaja käy työpaikalla viikoittain.",
            ),
            next_review=100,
        )
        self.journal(
            coach,
            client,
            NGO,
            Register.OTHER,
            coaching,
            [
                (
                    88,
                    EntryType.MEETING,
                    "Aloitustapaaminen. Kartoitettiin Johannan toiveet ja vahvuudet.",
                ),
                (30, EntryType.OBSERVATION, "Työkokeilu alkoi painotalossa."),
                (
                    10,
                    EntryType.PHONE_CALL,
                    "Puhelu työpaikan ohjaajalle ja Johannalle: "
                    "kokeilu sujuu, Johanna haluaa jatkaa.",
                ),
            ],
        )

    def heikkila(self, client: Client) -> None:
        """Multi-sector joint service whose joint assessment is late; health care declined
        a referral for a new work-ability assessment."""
        sw = "sosiaalityontekija"
        episode = self.episode(sw, client, "multi-sector-joint-service", SOCIAL_SERVICES, 125)
        self.plan(
            sw,
            episode,
            100,
            [
                GoalInput(
                    "Haluan saada selvyyden siitä, millaista työtä voin tehdä.",
                    importance=2,
                    difficulty=1,
                ),
                GoalInput("Haluan käydä kuntouttavassa työtoiminnassa kolmena päivänä viikossa."),
            ],
            [
                Act("Yhteinen arviointi TYP:ssä.", 0, sw, -30),
                Act("Haku kuntouttavaan työtoimintaan.", 1, "client", 14),
            ],
            Factors(
                helping="Ville on sosiaalinen ja hänellä on ajokortti.",
                hindering="Masennus ja pitkä työttömyys; arviointi on viivästynyt.",
                services="Monialainen yhteispalvelu, mielenterveyspalvelut.",
                methods="Tapaamiset kuukausittain ja TYP:n verkostopalaverit.",
            ),
            next_review=60,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (125, EntryType.MEETING, "TYP-asiakkuus alkoi. Sovittiin yhteisestä arvioinnista."),
                (
                    60,
                    EntryType.MULTI_PROFESSIONAL_MEETING,
                    "TYP:n verkostopalaveri: arviointi jatkuu, terveydenhuollon lausunto puuttuu.",
                ),
                (
                    8,
                    EntryType.PHONE_CALL,
                    "Puhelu: Ville on saanut ajan psykiatriselle sairaanhoitajalle.",
                ),
            ],
        )
        referral = self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            HEALTH_SERVICES,
            "Pyydämme työkykyarviota TYP:n yhteistä arviointia varten.",
            sent=70,
            episode=episode,
        )
        decline_referral(
            actor=self.actor("tyokykykoordinaattori"),
            referral=referral,
            ground=DeclineGround.ALREADY_SERVED,
            reason="Työkykyarvio on tehty terveysasemalla kolme kuukautta sitten (lääkärin "
            "B-lausunto). Uutta arviota ei tarvita; lausunto on asiakkaan käytettävissä.",
        )
        self.backdate(referral, received_at=self.at(68, 8), answered_at=self.at(66, 15))

    def koskinen(self, client: Client) -> None:
        """No contact for over two months; a referral to the rehabilitation centre is
        past its deadline."""
        sw = "sosiaalityontekija"
        episode = self.episode(
            sw,
            client,
            "social-rehabilitation",
            SOCIAL_SERVICES,
            230,
            phases=[("rehabilitation", 150)],
        )
        add_team_member(
            actor=self.actor(sw),
            episode=episode,
            membership=self.membership("sosiaaliohjaaja", SOCIAL_SERVICES),
            team_role="Sosiaaliohjaaja",
        )
        plan = self.plan(
            sw,
            episode,
            210,
            [
                GoalInput(
                    "Haluan jaksaa hoitaa kotini ja käydä kaupassa itse.",
                    importance=2,
                    difficulty=1,
                ),
                GoalInput(
                    "Haluan tietää, pääsenkö osatyökyvyttömyyseläkkeelle vai takaisin töihin.",
                    importance=2,
                    difficulty=1,
                ),
            ],
            [Act("Psykologin arvio kuntoutuskeskuksessa.", 1, REHABILITATION_CENTRE, -5)],
            Factors(
                helping="Tiinalla on pitkä työura hoitoalalla ja läheinen suhde tyttäreen.",
                hindering="Nivelrikko ja uupumus; yksinäisyys.",
                services="Sosiaalinen kuntoutus, työkykykoordinaatio terveyspalveluissa.",
                methods="Tapaamiset kuukausittain, puhelut tarvittaessa.",
            ),
            next_review=20,
        )
        self.review(
            sw,
            plan,
            100,
            [0, -1],
            "Arjen sujuminen on parantunut; työkyvyn selvitys on kesken.",
            next_review=20,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (230, EntryType.MEETING, "Alkutapaaminen yhdessä työkykykoordinaattorin kanssa."),
                (120, EntryType.PHONE_CALL, "Puhelu: Tiina kertoi väsymyksen helpottaneen."),
                (78, EntryType.MEETING, "Tapaaminen. Sovittiin psykologin arviosta."),
                (
                    40,
                    EntryType.OBSERVATION,
                    "Tiina ei saapunut sovittuun tapaamiseen eikä "
                    "vastannut puhelimeen. Lähetetty kirje ja uusi aika.",
                ),
            ],
        )
        self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            REHABILITATION_CENTRE,
            "Pyydämme psykologista työkykyarviota: onko paluu hoitoalalle mahdollinen.",
            sent=20,
            episode=episode,
            to_unit=self.unit(REHABILITATION_CENTRE, "Arviointi"),
        )

    def virtanen(self, client: Client) -> None:
        """A new episode whose case manager proposes a handover to a colleague."""
        sw = "sosiaalityontekija"
        episode = self.episode(sw, client, "social-rehabilitation", SOCIAL_SERVICES, 25)
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (
                    25,
                    EntryType.MEETING,
                    "Ensitapaaminen. Laura keskeytti opinnot keväällä ja "
                    "toivoo ryhmää, jossa tapaisi muita nuoria.",
                ),
                (5, EntryType.PHONE_CALL, "Puhelu: Laura haluaa aloittaa nuorten ryhmässä."),
            ],
        )
        propose_handover(
            actor=self.actor(sw),
            episode=episode,
            to_user=self.users["sosiaaliohjaaja"],
            note="Laura aloittaa sosiaalisen kuntoutuksen nuorten ryhmässä, jota Pekka "
            "ohjaa. Ehdotan, että Pekka jatkaa vastuutyöntekijänä.",
        )

    def heinonen(self, client: Client) -> None:
        """An episode opened without a case manager."""
        sw = "sosiaalityontekija"
        episode = self.episode(
            sw, client, "social-rehabilitation", SOCIAL_SERVICES, 10, managed=False
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (
                    10,
                    EntryType.MEETING,
                    "Ensitapaaminen päivystyksessä. Vastuutyöntekijä nimetään tiimipalaverissa.",
                )
            ],
        )

    def nieminen(self, client: Client) -> None:
        """Multi-sector joint service that ended when the client found work; the referral
        to job coaching was withdrawn."""
        sw = "sosiaalityontekija"
        episode = self.episode(
            sw,
            client,
            "multi-sector-joint-service",
            SOCIAL_SERVICES,
            115,
            phases=[("rehabilitation", 85), ("employment", 40)],
        )
        plan = self.plan(
            sw,
            episode,
            100,
            [
                GoalInput(
                    "Haluan löytää vakituisen työn varastoalalta.", importance=3, difficulty=1
                ),
                GoalInput("Haluan suorittaa trukkikortin."),
            ],
            [
                Act("Trukkikorttikurssi.", 1, "client", -60, -62),
                Act("Työhakemukset varastoalan yrityksiin.", 0, "client", -45, -48),
            ],
            Factors(
                helping="Jarilla on pitkä kokemus varastotyöstä ja hyvä kunto.",
                hindering="Edellisen työpaikan lopettaminen vei itseluottamusta.",
                services="Monialainen yhteispalvelu, työnhakuvalmennus.",
                methods="Tapaamiset kahden viikon välein.",
            ),
            next_review=60,
        )
        self.review(
            sw,
            plan,
            42,
            [1, 2],
            "Jari suoritti trukkikortin ja sai työpaikan varastosta.",
            next_review=140,
        )
        self.journal(
            sw,
            client,
            SOCIAL_SERVICES,
            Register.SOCIAL_WELFARE,
            episode,
            [
                (115, EntryType.MEETING, "TYP-asiakkuus alkoi. Jari haluaa nopeasti töihin."),
                (
                    85,
                    EntryType.MULTI_PROFESSIONAL_MEETING,
                    "Yhteinen arviointi valmis: työkyky riittää varastotyöhön.",
                ),
                (
                    40,
                    EntryType.PHONE_CALL,
                    "Puhelu: Jari on saanut vakituisen työpaikan logistiikkakeskuksesta.",
                ),
                (
                    10,
                    EntryType.DECISION,
                    "Palvelujakso päättyy: asiakas on työllistynyt avoimille työmarkkinoille.",
                ),
            ],
        )
        referral = self.referral(
            sw,
            client,
            SOCIAL_SERVICES,
            NGO,
            "Jari tarvitsee tukea työnhakuun varastoalalle.",
            sent=44,
            episode=episode,
        )
        close_referral(actor=self.actor(sw), referral=referral, status=ReferralStatus.WITHDRAWN)
        self.backdate(referral, closed_at=self.at(39, 10))
        end_episode(
            actor=self.actor(sw),
            episode=episode,
            end_reason=EndReason.OPEN_LABOUR_MARKET,
            ended_on=self.ago(10),
        )
        ended_at = self.at(10, 16)
        CaseManagerAssignment.objects.filter(episode=episode).update(ended_at=ended_at)
        Episode.objects.filter(pk=episode.pk).update(end_recorded_at=ended_at)

    def holmstrom(self, client: Client) -> None:
        """A work-ability project at the employment area; its referral to job coaching has
        been received and waits for an answer."""
        expert = "asiantuntija"
        episode = self.episode(expert, client, "work-ability-project", EMPLOYMENT_AREA, 35)
        self.journal(
            expert,
            client,
            EMPLOYMENT_AREA,
            Register.EMPLOYMENT_SERVICES,
            episode,
            [
                (
                    35,
                    EntryType.MEETING,
                    "Alkuhaastattelu. Emma haluaa työskennellä ruotsinkielisessä työyhteisössä.",
                ),
                (
                    12,
                    EntryType.PHONE_CALL,
                    "Puhelu: Emma suostui lähetteeseen työhönvalmennukseen.",
                ),
            ],
        )
        referral = self.referral(
            expert,
            client,
            EMPLOYMENT_AREA,
            NGO,
            "Emma toivoo tukea ruotsinkielisen työpaikan etsimiseen ja työkokeiluun.",
            sent=6,
            shared=(DataCategory.EMPLOYMENT,),
            episode=episode,
            to_unit=self.unit(NGO, "Työhönvalmennus"),
        )
        mark_referral_received(actor=self.actor("tyohonvalmentaja"), referral=referral)
        self.backdate(referral, received_at=self.at(4, 9))

    def makela(self, client: Client) -> None:
        """Job coaching at the NGO, with a peer mentor on the team."""
        coach = "tyohonvalmentaja"
        episode = self.episode(coach, client, "job-coaching", NGO, 70, phases=[("employment", 20)])
        add_team_member(
            actor=self.actor(coach),
            episode=episode,
            membership=self.membership("jarjestotyontekija", NGO),
            team_role="Vertaisohjaaja",
        )
        self.journal(
            coach,
            client,
            NGO,
            Register.OTHER,
            episode,
            [
                (70, EntryType.MEETING, "Aloitustapaaminen. Oskari haluaa töihin autokorjaamoon."),
                (20, EntryType.OBSERVATION, "Työkokeilu alkoi autokorjaamossa."),
                (
                    6,
                    EntryType.PHONE_CALL,
                    "Puhelu: kokeilu sujuu, korjaamo harkitsee oppisopimusta.",
                ),
            ],
        )

    def jarvinen(self, client: Client) -> None:
        """A work-ability project in health care, still in its assessment."""
        coordinator = "tyokykykoordinaattori"
        episode = self.episode(coordinator, client, "work-ability-project", HEALTH_SERVICES, 80)
        self.journal(
            coordinator,
            client,
            HEALTH_SERVICES,
            Register.HEALTH_CARE,
            episode,
            [
                (
                    80,
                    EntryType.MEETING,
                    "Työkykykoordinaation alkukäynti. Olkapään "
                    "leikkauksen jälkeinen kuntoutus kesken.",
                ),
                (
                    15,
                    EntryType.PHONE_CALL,
                    "Puhelu: fysioterapeutin arvio valmistuu ensi viikolla.",
                ),
            ],
        )


def seed_demo_pathways() -> tuple[int, RefreshReport]:
    """The demo's pathways, then every alert computed at once: (episodes opened, alerts)."""
    created = DemoPathways().seed()
    return created, refresh_alerts()


# Volume ------------------------------------------------------------------------------------

# Who gets an episode, how it runs and ends, and what it collects on the way.
DEFAULT_PATHWAY_SHARE = 0.4
ENDED_EPISODE_SHARE = 0.17  # of episodes at least 30 days old: about 15% of all
NO_CASE_MANAGER_SHARE = 0.05
HANDOVER_HISTORY_SHARE = 0.2
TEAM_SHARE = 0.3
PLAN_SHARE = 0.7
# About half of the plans are reviewed, more often those older than the review interval.
REVIEWED_SHARE_DUE = 0.8
REVIEWED_SHARE_RECENT = 0.35
PLAN_REVIEW_DAYS = 182
REVISED_SHARE = 0.4  # of reviewed plans, saved again after the review
RECENT_CONTACT_SHARE = 0.9  # of active episodes, contact within the programme's limit
# Referrals: a share of the clients served by two or more organisations (about 10% of all).
REFERRAL_SHARE_OF_SHARED_CLIENTS = 0.2
REFERRAL_OPENED_RELATIONSHIP_SHARE = 0.6
FORGOTTEN_REFERRAL_SHARE = 0.01  # old referrals still waiting for an answer
BATCH = 5000
K = TypeVar("K")
# What PathwaySeeder writes, parents first.
PATHWAY_MODELS: list[type[models.Model]] = [
    Episode,
    PhaseChange,
    CaseManagerAssignment,
    TeamMember,
    Plan,
    Goal,
    PlanAction,
    PlanVersion,
    PlanReview,
    GoalAttainment,
    Referral,
    JournalEntry,
]
# The seed's first professional manages this many active episodes, for the benchmarks.
FIRST_PROFESSIONAL_CASES = 60
MAX_PHASE_CHANGES = 4


@dataclass
class _PlanDraft:
    plan: Plan
    goals: list[Goal]
    actions: list[PlanAction]
    versions: list[tuple[date, int, str]]  # saved on, saved by, change note
    reviews: list[tuple[PlanReview, list[int]]]


@dataclass
class _EpisodeDraft:
    episode: Episode
    organisation: ServingOrganisation
    until: date
    phases: list[PhaseChange] = field(default_factory=list)
    assignments: list[CaseManagerAssignment] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    plan: _PlanDraft | None = None
    journal: list[JournalEntry] = field(default_factory=list)


@dataclass(frozen=True)
class FirstProfessional:
    user_id: int
    organisation_id: int


class PathwaySeeder:
    """Generates the pathways of one chunk of volume clients and writes them in bulk."""

    def __init__(
        self,
        *,
        seed: int,
        share: float,
        serving: Sequence[ServingOrganisation],
        names: dict[int, str],
        first: FirstProfessional | None,
    ) -> None:
        self.random = random.Random(f"pathways-{seed}")
        self.share = share
        self.today = timezone.localdate()
        self.names = names
        self.organisation_names = {organisation.id: organisation.name for organisation in serving}
        self.first = first
        self.first_cases = 0
        first_user = first.user_id if first else None
        # Everyone may be picked at random except the first professional, whose caseload
        # is set on purpose (unless they are all their organisation has).
        self.staff = {
            organisation.id: [s for s in organisation.staff if s[0] != first_user]
            or organisation.staff
            for organisation in serving
        }
        self.programmes = list(Programme.objects.filter(code__in=SHIPPED_PROGRAMMES))
        self.programmes.sort(key=lambda programme: programme.code)
        if len(self.programmes) != len(SHIPPED_PROGRAMMES):
            raise RuntimeError("The shipped programmes are missing: run manage.py migrate.")
        self.end_reasons, self.end_weights = _weights(END_REASON_WEIGHTS)
        self.entry_types, self.entry_weights = _weights(ENTRY_TYPE_WEIGHTS)
        self.urgencies, self.urgency_weights = _weights(URGENCY_WEIGHTS)
        self.levels, self.level_weights = _weights(GAS_WEIGHTS)
        self.statuses: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def _day(self, first: date, last: date) -> date:
        """A day from ``first`` to ``last`` inclusive (``first`` when the span is empty)."""
        span = (last - first).days
        return first + timedelta(days=self.random.randint(0, span)) if span > 0 else first

    def _at(self, day: date) -> datetime:
        return _tz_at(day, self.random.randint(8, 15), self.random.randrange(60))

    def _staff(
        self, organisation_id: int, *, other_than: int | None = None
    ) -> tuple[int, int | None]:
        pool = self.staff[organisation_id]
        choice = self.random.choice(pool)
        if choice[0] == other_than and len(pool) > 1:
            choice = self.random.choice([s for s in pool if s[0] != other_than])
        return choice

    # One chunk ----------------------------------------------------------------------------

    def chunk(self, planned: Sequence[PlannedClient], report: VolumeReport) -> None:
        started = time.perf_counter()
        drafts: list[_EpisodeDraft] = []
        referrals: list[Referral] = []
        for plan in planned:
            draft = self._episode(plan)
            if draft is not None:
                drafts.append(draft)
            referral = self._referral(plan, draft)
            if referral is not None:
                referrals.append(referral)
        generated = time.perf_counter() - started

        started = time.perf_counter()
        Episode.objects.bulk_create([d.episode for d in drafts], batch_size=BATCH)
        report.add("episodes", len(drafts), generated + time.perf_counter() - started)

        started = time.perf_counter()
        phases = PhaseChange.objects.bulk_create(
            [p for d in drafts for p in d.phases], batch_size=BATCH
        )
        report.add("phase changes", len(phases), time.perf_counter() - started)

        started = time.perf_counter()
        assignments = CaseManagerAssignment.objects.bulk_create(
            [a for d in drafts for a in d.assignments], batch_size=BATCH
        )
        report.add("case-manager assignments", len(assignments), time.perf_counter() - started)

        started = time.perf_counter()
        team = TeamMember.objects.bulk_create([m for d in drafts for m in d.team], batch_size=BATCH)
        report.add("team members", len(team), time.perf_counter() - started)

        self._plans(report, [d.plan for d in drafts if d.plan is not None])

        started = time.perf_counter()
        Referral.objects.bulk_create(referrals, batch_size=BATCH)
        report.add("referrals", len(referrals), time.perf_counter() - started)

        started = time.perf_counter()
        entries = JournalEntry.objects.bulk_create(
            [e for d in drafts for e in d.journal], batch_size=BATCH
        )
        report.add("journal entries", len(entries), time.perf_counter() - started)

    def _plans(self, report: VolumeReport, drafts: list[_PlanDraft]) -> None:
        started = time.perf_counter()
        Plan.objects.bulk_create([d.plan for d in drafts], batch_size=BATCH)
        Goal.objects.bulk_create([g for d in drafts for g in d.goals], batch_size=BATCH)
        PlanAction.objects.bulk_create([a for d in drafts for a in d.actions], batch_size=BATCH)
        versions = []
        for draft in drafts:
            for number, (saved_on, saved_by, note) in enumerate(draft.versions, start=1):
                versions.append(
                    PlanVersion(
                        plan=draft.plan,
                        number=number,
                        content=self._snapshot(draft, last=number == len(draft.versions)),
                        saved_by_id=saved_by,
                        saved_at=self._at(saved_on),
                        change_note=note,
                    )
                )
        PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
        report.add("plans", len(drafts), time.perf_counter() - started)
        self.totals["goals"] += sum(len(d.goals) for d in drafts)
        self.totals["actions"] += sum(len(d.actions) for d in drafts)
        self.totals["versions"] += len(versions)

        started = time.perf_counter()
        reviews = [review for d in drafts for review, _levels in d.reviews]
        PlanReview.objects.bulk_create(reviews, batch_size=BATCH)
        attainments = [
            GoalAttainment(review=review, goal=goal, level=level, weight=goal.weight)
            for d in drafts
            for review, levels in d.reviews
            for goal, level in zip(d.goals, levels, strict=True)
        ]
        GoalAttainment.objects.bulk_create(attainments, batch_size=BATCH)
        report.add("plan reviews", len(reviews), time.perf_counter() - started)
        self.totals["attainments"] += len(attainments)

    def _snapshot(self, draft: _PlanDraft, *, last: bool) -> dict[str, object]:
        """The plan as the services store it; an earlier version differs in its next
        review date only (the one agreed when it was saved)."""
        plan = draft.plan
        next_review = plan.next_review_on
        if not last:
            next_review = draft.versions[0][0] + timedelta(days=PLAN_REVIEW_DAYS)
        return {
            "helping_factors": plan.helping_factors,
            "hindering_factors": plan.hindering_factors,
            "services": plan.services,
            "working_methods": plan.working_methods,
            "next_review_on": next_review.isoformat() if next_review else None,
            "client_agreed_on": plan.client_agreed_on.isoformat()
            if plan.client_agreed_on
            else None,
            "goals": [goal_snapshot(goal) for goal in draft.goals],
            "actions": [
                {
                    "text": action.text,
                    "goal_id": action.goal.pk if action.goal else None,
                    "owner_user": self.names.get(action.owner_user_id)
                    if action.owner_user_id
                    else None,
                    "owner_organisation": self.organisation_names.get(action.owner_organisation_id)
                    if action.owner_organisation_id
                    else None,
                    "owner_is_client": action.owner_is_client,
                    "due_on": action.due_on.isoformat() if action.due_on else None,
                    "done_on": action.done_on.isoformat() if action.done_on else None,
                }
                for action in draft.actions
            ],
        }

    def notes(self) -> dict[str, str]:
        """What the counts of the report leave out, by its line."""
        totals = self.totals
        return {
            "plans": f"{totals['goals']} goals, {totals['actions']} actions, "
            f"{totals['versions']} versions",
            "plan reviews": f"{totals['attainments']} goal attainments",
            "referrals": ", ".join(
                f"{count} {status}" for status, count in sorted(self.statuses.items())
            ),
        }

    # One client's episode -----------------------------------------------------------------

    def _episode(self, planned: PlannedClient) -> _EpisodeDraft | None:
        r = self.random
        active = [
            (organisation, relationship)
            for organisation, relationship in zip(
                planned.organisations, planned.relationships, strict=True
            )
            if relationship.ended_on is None
        ]
        if not active or r.random() >= self.share:
            return None
        organisation, relationship = r.choice(active)
        programme = r.choice(self.programmes)
        # An episode is one period of the relationship, not always from its first day.
        started_on = self._day(relationship.started_on, self.today)
        ended_on: date | None = None
        end_reason = ""
        elapsed = (self.today - started_on).days
        if elapsed >= 30 and r.random() < ENDED_EPISODE_SHARE:
            ended_on = started_on + timedelta(days=r.randint(30, elapsed))
            end_reason = r.choices(self.end_reasons, cum_weights=self.end_weights)[0]
        until = ended_on or self.today
        episode = Episode(
            public_id=self._uuid(),
            client=planned.client,
            programme=programme,
            organisation_id=organisation.id,
            unit_id=relationship.unit_id,
            started_on=started_on,
            ended_on=ended_on,
            end_reason=end_reason,
            created_by_id=relationship.created_by_id,
        )
        draft = _EpisodeDraft(episode, organisation, until)
        managers = self._case_managers(draft)
        creator = managers[0] if managers else self._staff(organisation.id)[0]
        episode.created_by_id = creator
        self._phases(draft, programme, creator)
        self._team(draft, planned, managers)
        author = managers[-1] if managers else creator
        if (until - started_on).days >= 14 and r.random() < PLAN_SHARE:
            draft.plan = self._plan(draft, author)
        self._journal(draft, programme, author)
        return draft

    def _phases(self, draft: _EpisodeDraft, programme: Programme, recorded_by: int) -> None:
        """Phases in the programme's order, each 30-300 days (an assessment 30-120)."""
        r = self.random
        day = draft.episode.started_on
        limit = min(MAX_PHASE_CHANGES, len(programme.phases))
        for index, phase in enumerate(programme.phases[:limit]):
            if index:
                day += timedelta(days=r.randint(30, 120) if index == 1 else r.randint(30, 300))
                if day > draft.until:
                    break
            draft.phases.append(
                PhaseChange(
                    episode=draft.episode, phase=phase, started_on=day, recorded_by_id=recorded_by
                )
            )

    def _case_managers(self, draft: _EpisodeDraft) -> list[int]:
        """Case managers in order; at most the last is active, and only while the episode
        is. The first professional takes the first active episodes of their organisation."""
        r = self.random
        episode, organisation_id = draft.episode, draft.organisation.id
        started, until = episode.started_on, draft.until
        active = episode.ended_on is None
        without = active and r.random() < NO_CASE_MANAGER_SHARE
        periods: list[tuple[int, datetime, datetime | None]] = []
        since = self._at(started)
        if (until - started).days > 60 and r.random() < HANDOVER_HISTORY_SHARE:
            switch = self._at(started + timedelta(days=r.randint(30, (until - started).days - 1)))
            periods.append((self._staff(organisation_id)[0], since, switch))
            since = switch
        if not without:
            if (
                active
                and self.first is not None
                and organisation_id == self.first.organisation_id
                and self.first_cases < FIRST_PROFESSIONAL_CASES
            ):
                user = self.first.user_id
                self.first_cases += 1
            else:
                previous = periods[0][0] if periods else None
                user = self._staff(organisation_id, other_than=previous)[0]
            periods.append((user, since, None if active else self._at(until)))
        for user, started_at, ended_at in periods:
            draft.assignments.append(
                CaseManagerAssignment(
                    episode=episode,
                    user_id=user,
                    organisation_id=organisation_id,
                    started_at=started_at,
                    ended_at=ended_at,
                    assigned_by_id=user,
                )
            )
        return [user for user, _since, _ended in periods]

    def _team(self, draft: _EpisodeDraft, planned: PlannedClient, managers: list[int]) -> None:
        r = self.random
        if r.random() >= TEAM_SHARE:
            return
        others = [
            organisation
            for organisation, relationship in zip(
                planned.organisations, planned.relationships, strict=True
            )
            if relationship.ended_on is None and organisation is not draft.organisation
        ]
        chosen: set[int] = set(managers)
        for _ in range(r.randint(1, 2)):
            organisation = r.choice(others) if others and r.random() < 0.4 else draft.organisation
            user, _unit = self._staff(organisation.id)
            if user in chosen:
                continue
            chosen.add(user)
            draft.team.append(
                TeamMember(
                    episode=draft.episode,
                    user_id=user,
                    organisation_id=organisation.id,
                    team_role=r.choice(TEAM_ROLES),
                    started_on=self._day(draft.episode.started_on, draft.until),
                    ended_on=draft.episode.ended_on,
                )
            )

    def _plan(self, draft: _EpisodeDraft, author: int) -> _PlanDraft:
        r = self.random
        started, until = draft.episode.started_on, draft.until
        saved_on = self._day(started + timedelta(days=7), min(started + timedelta(days=60), until))
        texts = r.sample(GOALS, r.randint(1, 3))
        plan = Plan(
            public_id=self._uuid(),
            episode=draft.episode,
            helping_factors=" ".join(r.sample(HELPING, 2)),
            hindering_factors=" ".join(r.sample(HINDERING, 2)),
            services=", ".join(r.sample(SERVICES, r.randint(1, 3))) + ".",
            working_methods=r.choice(WORKING_METHODS),
            client_agreed_on=saved_on,
        )
        goals = []
        for position, text in enumerate(texts):
            importance, difficulty = r.choice(WEIGHTS)
            goals.append(
                Goal(
                    plan=plan,
                    text=text,
                    position=position,
                    importance=importance,
                    difficulty=difficulty,
                )
            )
        actions = []
        for action_text in r.sample(ACTIONS, r.randint(1, 3)):
            owner = r.random()
            due_on = saved_on + timedelta(days=r.randint(14, 180))
            done_on = None
            if due_on <= until and r.random() < 0.7:
                done_on = due_on - timedelta(days=r.randint(0, 10))
            actions.append(
                PlanAction(
                    plan=plan,
                    goal=r.choice(goals),
                    text=action_text,
                    owner_user_id=author if owner < 0.5 else None,
                    owner_organisation_id=draft.organisation.id if owner < 0.7 else None,
                    owner_is_client=owner >= 0.7,
                    due_on=due_on,
                    done_on=done_on,
                )
            )
        versions = [(saved_on, author, "")]
        reviews: list[tuple[PlanReview, list[int]]] = []
        last = saved_on
        # A plan due for review has more often been reviewed than a recent one.
        due = (until - saved_on).days > PLAN_REVIEW_DAYS
        share = REVIEWED_SHARE_DUE if due else REVIEWED_SHARE_RECENT
        if (until - saved_on).days >= 30 and r.random() < share:
            first = saved_on + timedelta(days=30)
            if draft.episode.ended_on is None:
                first = max(first, self.today - timedelta(days=170))
            reviewed_on = self._day(first, until)
            levels = [r.choices(self.levels, cum_weights=self.level_weights)[0] for _ in goals]
            reviews.append(
                (
                    PlanReview(
                        plan=plan,
                        reviewed_on=reviewed_on,
                        requested_by_client=r.random() < 0.1,
                        note="Tavoitteiden toteutuminen arvioitu yhdessä asiakkaan kanssa.",
                        reviewed_by_id=author,
                        plan_version=1,
                    ),
                    levels,
                )
            )
            last = reviewed_on
            if r.random() < REVISED_SHARE:
                versions.append((reviewed_on, author, "Suunnitelma päivitetty arvioinnin jälkeen."))
        plan.version = len(versions)
        plan.next_review_on = last + timedelta(days=PLAN_REVIEW_DAYS)
        return _PlanDraft(plan, goals, actions, versions, reviews)

    def _journal(self, draft: _EpisodeDraft, programme: Programme, author: int) -> None:
        r = self.random
        started, until = draft.episode.started_on, draft.until
        days: list[tuple[date, EntryType]] = []
        count = r.randint(1, 5)
        if draft.episode.ended_on is None and r.random() < RECENT_CONTACT_SHARE:
            limit = programme.no_contact_days or 60
            recent = self._day(max(started, self.today - timedelta(days=limit - 1)), self.today)
            days.append((recent, r.choice(CONTACT_TYPES)))
            count -= 1
        for _ in range(count):
            entry_type = r.choices(self.entry_types, cum_weights=self.entry_weights)[0]
            days.append((self._day(started, until), entry_type))
        for day, entry_type in days:
            draft.journal.append(
                JournalEntry(
                    public_id=self._uuid(),
                    client=draft.episode.client,
                    episode=draft.episode,
                    organisation_id=draft.organisation.id,
                    register=draft.organisation.register,
                    entry_type=entry_type,
                    occurred_on=day,
                    text=r.choice(JOURNAL_TEXTS[entry_type]),
                    author_id=author,
                )
            )

    # One client's referral ----------------------------------------------------------------

    def _referral(self, planned: PlannedClient, draft: _EpisodeDraft | None) -> Referral | None:
        """A referral between two organisations that serve the client, in a state that
        fits its age: recent ones mostly wait for an answer, old ones were answered."""
        r = self.random
        pairs = list(zip(planned.organisations, planned.relationships, strict=True))
        if len(pairs) < 2 or r.random() >= REFERRAL_SHARE_OF_SHARED_CLIENTS:
            return None
        sender, sent_by_rel = r.choice([p for p in pairs if p[1].ended_on is None] or pairs)
        receiver, receiver_rel = r.choice([p for p in pairs if p[0] is not sender])
        urgency = r.choices(self.urgencies, cum_weights=self.urgency_weights)[0]
        days = RESPONSE_DAYS[urgency]
        received_on = answered_on = closed_on = None
        decline_reason = ""
        sender_end = sent_by_rel.ended_on or self.today
        if (
            sent_by_rel.started_on < receiver_rel.started_on <= sender_end
            and r.random() < REFERRAL_OPENED_RELATIONSHIP_SHARE
        ):
            # The referral is why the receiver started to serve the client.
            answered_on = receiver_rel.started_on
            sent_on = max(sent_by_rel.started_on, answered_on - timedelta(days=r.randint(1, 14)))
            received_on = self._day(sent_on, answered_on)
            status = ReferralStatus.ACCEPTED
            if receiver_rel.ended_on is not None:
                status, closed_on = ReferralStatus.COMPLETED, receiver_rel.ended_on
        else:
            first = max(sent_by_rel.started_on, receiver_rel.started_on)
            last = min(sent_by_rel.ended_on or self.today, receiver_rel.ended_on or self.today)
            if last < first:
                return None
            sent_on = self._day(first, last)
            age = (self.today - sent_on).days
            waiting = receiver_rel.ended_on is None and (
                (age <= days + 7 and r.random() < 0.7) or r.random() < FORGOTTEN_REFERRAL_SHARE
            )
            if waiting:
                status = r.choice([ReferralStatus.SENT, ReferralStatus.RECEIVED])
                if status == ReferralStatus.RECEIVED:
                    received_on = self._day(sent_on, self.today)
            else:
                answered_on = self._day(sent_on, min(sent_on + timedelta(days=days + 5), last))
                received_on = self._day(sent_on, answered_on)
                outcome = r.random()
                if outcome < 0.4:
                    status, decline_reason = ReferralStatus.DECLINED, r.choice(DECLINE_REASONS)
                elif outcome < 0.6:
                    # The sender withdrew it before an answer, often before it was read.
                    status, closed_on, answered_on = ReferralStatus.WITHDRAWN, answered_on, None
                    if r.random() < 0.5:
                        received_on = None
                else:
                    status = ReferralStatus.ACCEPTED
                    if (last - answered_on).days > 90 and r.random() < 0.6:
                        status = ReferralStatus.COMPLETED
                        closed_on = self._day(answered_on + timedelta(days=60), last)
        from_user, _unit = self._staff(sender.id)
        to_user, to_unit = self._staff(receiver.id)
        addressed = r.random()
        episode = None
        if (
            draft is not None
            and draft.organisation is sender
            and draft.episode.started_on <= sent_on <= draft.until
        ):
            episode = draft.episode
        self.statuses[status] += 1
        return Referral(
            public_id=self._uuid(),
            client=planned.client,
            episode=episode,
            from_organisation_id=sender.id,
            from_user_id=from_user,
            to_organisation_id=receiver.id,
            to_unit_id=to_unit if addressed < 0.85 else None,
            to_user_id=to_user if addressed < 0.25 else None,
            reason=r.choice(REFERRAL_REASONS),
            urgency=urgency,
            shared_categories=[DataCategory.BASIC.value, DataCategory.PLAN.value],
            status=status,
            respond_by=sent_on + timedelta(days=days),
            answered_by_id=to_user if answered_on else None,
            decline_reason=decline_reason,
            **self._moments(sent_on, received_on, answered_on, closed_on),
        )

    def _moments(self, *days: date | None) -> dict[str, datetime | None]:
        """sent_at, received_at, answered_at and closed_at on those days (None: not yet),
        in this order also within a day."""
        moments: list[datetime | None] = []
        latest: datetime | None = None
        for day in days:
            if day is None:
                moments.append(None)
                continue
            moment = self._at(day)
            if latest is not None and moment <= latest:
                moment = latest + timedelta(minutes=self.random.randint(5, 120))
            moments.append(moment)
            latest = moment
        names = ("sent_at", "received_at", "answered_at", "closed_at")
        return dict(zip(names, moments, strict=True))


def case_count(username: str) -> int:
    """Active episodes whose active case manager is ``username``."""
    return CaseManagerAssignment.objects.filter(
        user__username=username, ended_at__isnull=True, episode__ended_on__isnull=True
    ).count()


def _weights(weights: dict[K, int]) -> tuple[list[K], list[float]]:
    return list(weights), list(accumulate(float(weight) for weight in weights.values()))
