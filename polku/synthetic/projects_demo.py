"""Funded projects in the demo: the Work Ability Programme (Työkykyohjelma) with three
projects in different parts of Pirkanmaa, and an ESF+ project of the demo's association,
each with its funder, period, area, organisations, budget, staff, participants, goals →
actions → results, and communication and evaluation plans.

The rows are written with the ORM, as the project services would leave them: the staff
are ``ProjectRole`` rows; every participant is a demo client whom the owning organisation
serves, enrolled by a member of the project's staff working for that organisation, with
gender, age and municipality as they were on the entry date. Dates are relative to the day
the demo is loaded. Idempotent: a project already there is left as it is.

The texts are the demo's own, modelled on the goal, action and result tables of real
Work Ability Programme plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from polku.accounts.enums import Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients.models import Client
from polku.core.models import Municipality
from polku.measures.schedules import add_months
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.enums import (
    EducationLevel,
    EvidenceKind,
    FundingInstrument,
    LabourStatus,
    ProgressStatus,
    SensitiveAnswer,
)
from polku.projects.models import (
    BudgetYear,
    CommunicationItem,
    EvaluationQuestion,
    FundingProgramme,
    Goal,
    GoalAction,
    Participant,
    ProgressChange,
    Project,
    ResultMetric,
    SensitiveDetails,
)
from polku.synthetic.demo import (
    DEMO_CLIENTS,
    DEMO_PASSWORD,
    EMPLOYMENT_AREA,
    HEALTH_SERVICES,
    KELA,
    NGO,
    REHABILITATION_CENTRE,
    SOCIAL_SERVICES,
)

WORK_ABILITY_PROGRAMME = "Työkykyohjelma"
ESF_PROGRAMME = "Uudistuva ja osaava Suomi 2021–2027: ESR+ työllisyys ja osallisuus"
ADULT_EDUCATION = "Pirkanmaan aikuiskoulutuskeskus"
OHJAAMO = "Ohjaamo Tampere"
MUNICIPAL_EMPLOYMENT = "Nokian kaupungin työllisyyspalvelut"
EMPLOYER = "Ylöjärven Puutyö Oy"
COORDINATOR = "ohjelmakoordinaattori"
COORDINATION = "Työkykykoordinaatio"  # the coordinator's unit

# The live figures a result may show (keys of ``polku.projects.live_figures``).
LIVE_CASE_MANAGER = "case_manager"
LIVE_WORK_TRIAL_FEEDBACK = "work_trial_feedback"
LIVE_PLANS_ON_TIME = "plans_on_time"
LIVE_IN_WORK_AT_EXIT = "in_work_at_exit"

Y, N, D = SensitiveAnswer.YES, SensitiveAnswer.NO, SensitiveAnswer.DECLINED
NOT_STARTED, IN_PROGRESS, AT_RISK, DONE = (
    ProgressStatus.NOT_STARTED,
    ProgressStatus.IN_PROGRESS,
    ProgressStatus.AT_RISK,
    ProgressStatus.DONE,
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


@dataclass(frozen=True)
class Result:
    text: str
    status: ProgressStatus = NOT_STARTED
    target: str | None = None
    unit: str = ""
    achieved: str | None = None
    link: str = ""
    document: str = ""  # the name of a document kept as evidence
    live_figure: str = ""
    history: tuple[ProgressStatus, ...] = ()  # the statuses it went through before


@dataclass(frozen=True)
class Action:
    text: str
    responsible: str
    status: ProgressStatus
    results: tuple[Result, ...]
    history: tuple[ProgressStatus, ...] = ()


@dataclass(frozen=True)
class DemoGoal:
    text: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Entry:
    """A demo client's participation; days are counted back from today."""

    last_name: str
    organisation: str  # the owner: whose service relationship the enrolment rests on
    enrolled_by: str
    entered_days_ago: int
    labour_status: LabourStatus
    education: EducationLevel
    # (disability, third-country national, foreign background, minority, homeless);
    # None: not asked yet.
    sensitive: tuple[SensitiveAnswer, ...] | None
    left_days_ago: int | None = None
    # Upon leaving, observed so many days after: (job searching, education, qualification,
    # employed); None: not recorded.
    exit_after_days: int | None = None
    exit: tuple[bool, bool, bool, bool] | None = None
    follow_up: tuple[bool, bool] | None = None  # six months after: (employed, improved)


@dataclass(frozen=True)
class DemoProject:
    programme: str
    name: str
    code: str
    funder: str
    instrument: FundingInstrument
    months_ago: int  # started on the first day of the month so many months back
    months: int
    description: str
    organisation: str
    partners: tuple[str, ...]
    municipalities: tuple[str, ...]
    budget: Decimal  # the whole frame, spread over the calendar years of the period
    staff: tuple[tuple[str, ProjectRoleKind, str], ...]  # (username, kind, organisation)
    participants: tuple[Entry, ...]
    goals: tuple[DemoGoal, ...]
    communication: tuple[tuple[str, str, str, str, str, ProgressStatus], ...]
    evaluation: tuple[tuple[str, str, str, str, str, ProgressStatus], ...]


@dataclass
class DemoProjectsResult:
    logins: list[DemoLogin] = field(default_factory=list)
    projects_created: int = 0
    participants_created: int = 0


INNOKYLA = "https://innokyla.example.invalid/toimintamallit"

TAMPERE_REGION_GOALS = (
    DemoGoal(
        "Seudulla on toimiva, yhteisesti sovittu työkyvyn tuen palvelukokonaisuus",
        (
            Action(
                "Selvitetään, millaisia työkyvyn tuen palveluja seudulla nyt on ja kuka ne "
                "järjestää",
                "hankepäällikkö",
                DONE,
                (
                    Result(
                        "Nykytilan selvitys on valmis ja käsitelty ohjausryhmässä",
                        DONE,
                        document="nykytilan-selvitys.txt",
                        history=(IN_PROGRESS,),
                    ),
                ),
                history=(IN_PROGRESS,),
            ),
            Action(
                "Kootaan kuntien, hyvinvointialueen, Kelan ja järjestöjen yhteinen kehittäjätiimi",
                "hankepäällikkö",
                DONE,
                (Result("Kehittäjätiimi kokoontuu kuukausittain", DONE, "10", "kokousta", "12"),),
                history=(IN_PROGRESS,),
            ),
            Action(
                "Otetaan käyttöön malli, jossa jokaisella asiakkaalla on nimetty vastuutyöntekijä",
                "työkykypalvelujen tiimi",
                IN_PROGRESS,
                (
                    Result(
                        "Osallistujista vähintään 80 %:lla on nimetty vastuutyöntekijä",
                        IN_PROGRESS,
                        "80",
                        "%",
                        live_figure=LIVE_CASE_MANAGER,
                    ),
                    Result(
                        "Toimintamalli on kuvattu ja julkaistu",
                        IN_PROGRESS,
                        link=f"{INNOKYLA}/vastuutyontekijamalli-tampereen-seutu",
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "Työkyvyn tuen tarve tunnistetaan varhain ja asiakas ohjautuu oikeaan palveluun",
        (
            Action(
                "Kuvataan, miten asiakas ohjautuu työkyvyn tuen palveluihin eri ovista",
                "kehittäjätiimi",
                DONE,
                (
                    Result(
                        "Ohjautumisen prosessikuvaus on valmis",
                        DONE,
                        link=f"{INNOKYLA}/ohjautuminen-tyokyvyn-tukeen",
                        history=(IN_PROGRESS,),
                    ),
                ),
            ),
            Action(
                "Sovitaan seudulla yhteisistä työ- ja toimintakyvyn mittareista",
                "työkykykoordinaattorit",
                AT_RISK,
                (
                    Result(
                        "Yhteiset mittarit on sovittu ja kirjattu toimintaohjeeseen",
                        AT_RISK,
                        history=(IN_PROGRESS,),
                    ),
                ),
                history=(IN_PROGRESS,),
            ),
            Action(
                "Asiakassuunnitelmat tarkistetaan sovitussa ajassa",
                "työkykypalvelujen tiimi",
                IN_PROGRESS,
                (
                    Result(
                        "Vähintään 90 % suunnitelmista on tarkistettu ajallaan",
                        IN_PROGRESS,
                        "90",
                        "%",
                        live_figure=LIVE_PLANS_ON_TIME,
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "Osatyökykyisten tuettu työllistyminen on vakiintunut osaksi palveluja",
        (
            Action(
                "Työhönvalmentajat koulutetaan tuetun työllistymisen laatukriteerien "
                "mukaiseen valmennukseen",
                "Askel eteenpäin ry",
                IN_PROGRESS,
                (
                    Result(
                        "Koulutuksen käyneitä työhönvalmentajia seudulla",
                        IN_PROGRESS,
                        "8",
                        "henkilöä",
                        "5",
                    ),
                ),
            ),
            Action(
                "Työkokeiluissa pyydetään työnantajalta palaute jokaisen jakson päätteeksi",
                "työhönvalmentajat",
                IN_PROGRESS,
                (
                    Result(
                        "Työkokeiluista vähintään 75 %:sta on saatu työnantajan palaute",
                        IN_PROGRESS,
                        "75",
                        "%",
                        live_figure=LIVE_WORK_TRIAL_FEEDBACK,
                    ),
                    Result(
                        "Osallistujista vähintään kolmannes on työssä hankkeesta lähtiessään",
                        IN_PROGRESS,
                        "33",
                        "%",
                        live_figure=LIVE_IN_WORK_AT_EXIT,
                    ),
                ),
            ),
        ),
    ),
)

WESTERN_GOALS = (
    DemoGoal(
        "Työkykykoordinaatio on osa terveysaseman perustyötä",
        (
            Action(
                "Työkykykoordinaattori osallistuu terveysaseman tiimipalavereihin viikoittain",
                "työkykykoordinaattori",
                DONE,
                (Result("Koordinaattori on mukana kaikissa tiimeissä", DONE, "3", "tiimiä", "3"),),
                history=(IN_PROGRESS,),
            ),
            Action(
                "Moniammatilliset työkykytiimit kokoontuvat asiakkaan kanssa",
                "terveysasema ja Kaarna",
                IN_PROGRESS,
                (
                    Result(
                        "Työkykytiimin tapaamisia asiakkaiden kanssa",
                        IN_PROGRESS,
                        "60",
                        "tapaamista",
                        "24",
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "Kuntoutus ja työllistymisen tuki sovitetaan yhteen Kelan kanssa",
        (
            Action(
                "Sovitaan yhteinen tapa ohjata asiakas ammatilliseen kuntoutukseen",
                "Kela ja hyvinvointialue",
                IN_PROGRESS,
                (Result("Ohjauksen toimintaohje on hyväksytty", IN_PROGRESS),),
            ),
            Action(
                "Seurataan, moniko osallistuja on työssä hankkeesta lähtiessään",
                "työkykykoordinaattori",
                IN_PROGRESS,
                (
                    Result(
                        "Lähteneistä vähintään 30 % on työssä",
                        IN_PROGRESS,
                        "30",
                        "%",
                        live_figure=LIVE_IN_WORK_AT_EXIT,
                    ),
                ),
            ),
        ),
    ),
)

NORTHERN_GOALS = (
    DemoGoal(
        "Sosiaalihuollon työtoiminta johtaa kohti työtä myös haja-asutusalueella",
        (
            Action(
                "Selvitetään työtoiminnan ja työllistymistä tukevan toiminnan käyttö alueen "
                "kunnissa",
                "sosiaalinen kuntoutus",
                DONE,
                (Result("Selvitys on tehty kaikista alueen kunnista", DONE, "7", "kuntaa", "7"),),
                history=(IN_PROGRESS,),
            ),
            Action(
                "Kokeillaan asiakkaiden kanssa uusia työympäristöjä, kuten puusepänverstasta",
                "yrityskumppani ja sosiaaliohjaus",
                IN_PROGRESS,
                (
                    Result(
                        "Asiakkaiden säännöllisesti käyttämiä työympäristöjä",
                        IN_PROGRESS,
                        "4",
                        "kpl",
                        "2",
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "Asiakkaan asiointi on sujuvaa ja hänen kokemuksensa kerätään",
        (
            Action(
                "Kerätään asiakaskokemus jokaisen jakson päätteeksi",
                "sosiaaliohjaaja",
                NOT_STARTED,
                (Result("Asiakaskokemuskyselyn vastauksia", NOT_STARTED, "30", "kpl"),),
            ),
        ),
    ),
)

ESF_GOALS = (
    DemoGoal(
        "Nuoret ja pitkään työttömänä olleet löytävät polun koulutukseen tai työhön",
        (
            Action(
                "Tarjotaan henkilökohtaista työhönvalmennusta ja ryhmätoimintaa",
                "Askel eteenpäin ry",
                IN_PROGRESS,
                (
                    Result("Osallistujia hankkeessa", IN_PROGRESS, "120", "henkilöä", "3"),
                    Result(
                        "Lähteneistä vähintään 40 % työssä tai koulutuksessa",
                        IN_PROGRESS,
                        "40",
                        "%",
                        live_figure=LIVE_IN_WORK_AT_EXIT,
                    ),
                ),
            ),
        ),
    ),
)

NEWSLETTER = "hankkeen uutiskirje"
TAMPERE_REGION_COMMUNICATION = (
    (
        "Sitoutetaan seudun toimijat yhteiseen kehittämiseen ja tavoitteisiin",
        "kuntien työllisyys-, sosiaali- ja terveyspalvelujen työntekijät, Kela, hanketiimi",
        "yhteiset kokoukset ja työpajat, yhteinen digitaalinen työtila",
        "hankkeen ensimmäiset neljä kuukautta",
        "hankepäällikkö",
        DONE,
    ),
    (
        "Saadaan järjestöt, oppilaitokset ja palveluntuottajat mukaan kehittämiseen",
        "järjestöt, oppilaitokset, palveluntuottajat",
        f"kokoukset, sähköposti, {NEWSLETTER}",
        "hankkeen alkuvaihe",
        "hanketiimi",
        DONE,
    ),
    (
        "Kerrotaan palveluista asiakkaille selkokielellä ja kutsutaan heidät kehittäjiksi",
        "työttömät työnhakijat, sosiaalihuollon ja vammaispalvelujen asiakkaat",
        "sosiaalinen media, paikallislehdet, kumppanien asiakastilat",
        "koko hankkeen ajan",
        "hanketiimi",
        IN_PROGRESS,
    ),
    (
        "Saadaan työnantajat mukaan ja nostetaan esiin onnistuneita työllistymisiä",
        "seudun yritykset ja kuntatyönantajat",
        "suorat yhteydenotot, sosiaalinen media, lehtijutut työnantajan kertomana",
        "koko hankkeen ajan",
        "hanketiimi",
        IN_PROGRESS,
    ),
    (
        "Kerrotaan tuloksista ja juurrutetaan toimintamallit",
        "toimijaverkosto, asiakkaat, työnantajat, ohjelman kansallinen taso",
        "loppuraportti, Innokylä, loppuseminaari",
        "hankkeen viimeinen puolivuotinen",
        "hankepäällikkö",
        NOT_STARTED,
    ),
)
TAMPERE_REGION_EVALUATION = (
    (
        "Onko seudulle syntynyt yhteinen tilannekuva osatyökykyisten määrästä ja tarpeista?",
        "organisaatioiden ja tilastojen tiedot yhdistettynä",
        "kunnat, hyvinvointialue, Kela",
        "tilastoanalyysi",
        "hankkeen alussa ja lopussa",
        DONE,
    ),
    (
        "Kokevatko asiakkaat työ- ja toimintakykynsä vahvistuneen?",
        "asiakkaiden kokemustieto ja mittarit",
        "osallistujat",
        "kyselyt, haastattelut, Polun mittaukset",
        "jakson alussa ja lopussa",
        IN_PROGRESS,
    ),
    (
        "Mihin asiakkaat siirtyvät työhönvalmennuksen jälkeen?",
        "siirtymätiedot lähtiessä ja puoli vuotta myöhemmin",
        "työhönvalmentajat",
        "asiakasseuranta Polussa",
        "jatkuvasti",
        IN_PROGRESS,
    ),
    (
        "Mitä työnantajat tarvitsevat osatyökykyisen työllistämiseen?",
        "työnantajien palaute ja kehittämistarpeet",
        "työkokeilu- ja työpaikat",
        "kysely ja teemahaastattelut",
        "kahdesti vuodessa",
        NOT_STARTED,
    ),
    (
        "Onko työnjako eri toimijoiden kesken selkeytynyt?",
        "toimijaverkoston kokemukset",
        "kehittäjätiimi ja yhteistyökumppanit",
        "kysely, ryhmähaastattelu",
        "hankkeen puolivälissä ja lopussa",
        NOT_STARTED,
    ),
)
SHORT_COMMUNICATION = (
    (
        "Kerrotaan hankkeesta alueen ammattilaisille",
        "alueen sosiaali-, terveys- ja työllisyyspalvelut",
        f"infotilaisuudet, {NEWSLETTER}",
        "hankkeen alussa",
        "hankepäällikkö",
        DONE,
    ),
    (
        "Tavoitetaan asiakkaat",
        "hankkeen kohderyhmä",
        "kumppanien asiakastyö, sosiaalinen media",
        "koko hankkeen ajan",
        "hanketiimi",
        IN_PROGRESS,
    ),
)
SHORT_EVALUATION = (
    (
        "Paraneeko osallistujien tilanne työmarkkinoilla?",
        "tilanne lähtiessä ja puoli vuotta myöhemmin",
        "osallistujat",
        "seuranta Polussa",
        "jatkuvasti",
        IN_PROGRESS,
    ),
    (
        "Ovatko toimintamallit juurtuneet perustyöhön?",
        "johdon ja työntekijöiden arviot",
        "yhteistyöorganisaatiot",
        "kysely",
        "hankkeen lopussa",
        NOT_STARTED,
    ),
)

LTU, UNEMPLOYED, INACTIVE = (
    LabourStatus.LONG_TERM_UNEMPLOYED,
    LabourStatus.UNEMPLOYED,
    LabourStatus.INACTIVE,
)
ISCED = EducationLevel

DEMO_PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        programme=WORK_ABILITY_PROGRAMME,
        name="Työkyky yhdessä – Tampereen seutu",
        code="TKO-PIR-01",
        funder="Sosiaali- ja terveysministeriö",
        instrument=FundingInstrument.STATE_GRANT,
        months_ago=20,
        months=36,
        description=(
            "Seudun työkyvyn tuen palvelut yhdeksi kokonaisuudeksi: nimetty "
            "vastuutyöntekijä, varhainen tunnistaminen ja tuettu työllistyminen."
        ),
        organisation=EMPLOYMENT_AREA,
        partners=(NGO, OHJAAMO, ADULT_EDUCATION, SOCIAL_SERVICES),
        municipalities=("837", "536", "980", "604", "211", "418"),
        budget=Decimal("1240000"),
        staff=(
            ("hankepaallikko", ProjectRoleKind.MANAGER, EMPLOYMENT_AREA),
            ("asiantuntija", ProjectRoleKind.WORKER, EMPLOYMENT_AREA),
            ("tyohonvalmentaja", ProjectRoleKind.WORKER, NGO),
        ),
        participants=(
            Entry(
                "Lehtinen",
                EMPLOYMENT_AREA,
                "asiantuntija",
                190,
                UNEMPLOYED,
                ISCED.ISCED_3,
                (N, N, N, N, N),
                left_days_ago=50,
                exit_after_days=5,
                exit=(True, False, False, False),
            ),
            Entry(
                "Holmström",
                EMPLOYMENT_AREA,
                "asiantuntija",
                35,
                UNEMPLOYED,
                ISCED.ISCED_6,
                (N, N, N, N, N),
            ),
            Entry(
                "Nieminen",
                EMPLOYMENT_AREA,
                "asiantuntija",
                370,
                LTU,
                ISCED.ISCED_2,
                (Y, N, N, N, Y),
                left_days_ago=215,
                exit_after_days=10,
                exit=(False, False, False, True),
                follow_up=(True, True),
            ),
        ),
        goals=TAMPERE_REGION_GOALS,
        communication=TAMPERE_REGION_COMMUNICATION,
        evaluation=TAMPERE_REGION_EVALUATION,
    ),
    DemoProject(
        programme=WORK_ABILITY_PROGRAMME,
        name="Työkyky käyttöön – Läntinen Pirkanmaa",
        code="TKO-PIR-02",
        funder="Sosiaali- ja terveysministeriö",
        instrument=FundingInstrument.STATE_GRANT,
        months_ago=18,
        months=30,
        description=(
            "Työkykykoordinaatio terveysasemille ja kuntoutuksen yhteensovitus Kelan ja "
            "kuntoutuskeskuksen kanssa."
        ),
        organisation=HEALTH_SERVICES,
        partners=(KELA, REHABILITATION_CENTRE, MUNICIPAL_EMPLOYMENT),
        municipalities=("536", "980", "108", "790", "143"),
        budget=Decimal("860000"),
        staff=(
            ("tyokykykoordinaattori", ProjectRoleKind.MANAGER, HEALTH_SERVICES),
            ("sairaanhoitaja", ProjectRoleKind.WORKER, HEALTH_SERVICES),
            ("kelaneuvoja", ProjectRoleKind.WORKER, KELA),
            ("psykologi", ProjectRoleKind.WORKER, REHABILITATION_CENTRE),
        ),
        participants=(
            Entry(
                "Koskinen",
                HEALTH_SERVICES,
                "tyokykykoordinaattori",
                300,
                INACTIVE,
                ISCED.ISCED_3,
                (Y, N, N, N, N),
            ),
            Entry(
                "Heikkilä",
                HEALTH_SERVICES,
                "sairaanhoitaja",
                330,
                LTU,
                ISCED.ISCED_3,
                (Y, N, N, N, N),
                left_days_ago=200,
                exit_after_days=14,
                exit=(True, False, False, False),
                follow_up=(False, True),
            ),
            Entry(
                "Järvinen",
                KELA,
                "kelaneuvoja",
                180,
                UNEMPLOYED,
                ISCED.ISCED_4,
                (N, N, Y, N, N),
                left_days_ago=20,
                exit_after_days=8,
                exit=(False, False, False, True),
            ),
        ),
        goals=WESTERN_GOALS,
        communication=SHORT_COMMUNICATION,
        evaluation=SHORT_EVALUATION,
    ),
    DemoProject(
        programme=WORK_ABILITY_PROGRAMME,
        name="Osallisuudesta työhön – Pohjoinen Pirkanmaa",
        code="TKO-PIR-03",
        funder="Sosiaali- ja terveysministeriö",
        instrument=FundingInstrument.STATE_GRANT,
        months_ago=14,
        months=24,
        description=(
            "Sosiaalihuollon työtoiminta ja työllistymistä tukeva toiminta haja-asutusalueen "
            "kunnissa, uusia työympäristöjä kokeillen."
        ),
        organisation=SOCIAL_SERVICES,
        partners=(NGO, EMPLOYER),
        municipalities=("980", "702", "936", "581", "250", "177", "508"),
        budget=Decimal("540000"),
        staff=(
            ("sosiaaliohjaaja", ProjectRoleKind.MANAGER, SOCIAL_SERVICES),
            ("sosiaalityontekija", ProjectRoleKind.WORKER, SOCIAL_SERVICES),
            ("jarjestotyontekija", ProjectRoleKind.WORKER, NGO),
        ),
        participants=(
            Entry(
                "Rantanen",
                SOCIAL_SERVICES,
                "sosiaalityontekija",
                400,
                LTU,
                ISCED.ISCED_2,
                (N, N, N, N, Y),
                left_days_ago=240,
                exit_after_days=20,
                exit=(False, True, False, False),
                follow_up=(False, True),
            ),
            # In the western project until 200 days ago, then here.
            Entry(
                "Heikkilä",
                SOCIAL_SERVICES,
                "sosiaalityontekija",
                120,
                LTU,
                ISCED.ISCED_3,
                (Y, N, N, N, N),
            ),
            Entry(
                "Virtanen",
                SOCIAL_SERVICES,
                "sosiaalityontekija",
                25,
                INACTIVE,
                ISCED.ISCED_3,
                (N, N, N, N, N),
            ),
            # Declined every sensitive item.
            Entry(
                "Heinonen",
                SOCIAL_SERVICES,
                "sosiaalityontekija",
                7,
                UNEMPLOYED,
                ISCED.ISCED_6,
                (D, D, D, D, D),
            ),
        ),
        goals=NORTHERN_GOALS,
        communication=SHORT_COMMUNICATION,
        evaluation=SHORT_EVALUATION,
    ),
    DemoProject(
        programme=ESF_PROGRAMME,
        name="Askel työhön",
        code="S31234",
        funder="Hämeen ELY-keskus (ESR+)",
        instrument=FundingInstrument.ESF_PLUS,
        months_ago=8,
        months=30,
        description="Työhönvalmennusta ja ryhmätoimintaa nuorille ja pitkään työttömille.",
        organisation=NGO,
        partners=(OHJAAMO, ADULT_EDUCATION),
        municipalities=("837", "536"),
        budget=Decimal("410000"),
        staff=(
            ("tyohonvalmentaja", ProjectRoleKind.MANAGER, NGO),
            ("jarjestotyontekija", ProjectRoleKind.WORKER, NGO),
        ),
        participants=(
            # Left, but the situation upon leaving was never recorded.
            Entry(
                "Salo",
                NGO,
                "tyohonvalmentaja",
                80,
                UNEMPLOYED,
                ISCED.ISCED_5,
                (N, N, N, N, N),
                left_days_ago=25,
            ),
            Entry("Mäkelä", NGO, "tyohonvalmentaja", 70, INACTIVE, ISCED.ISCED_2, (N, N, N, Y, N)),
            # Enrolled this week; the sensitive items not asked yet.
            Entry("Hakala", NGO, "jarjestotyontekija", 4, UNEMPLOYED, ISCED.ISCED_3, None),
        ),
        goals=ESF_GOALS,
        communication=SHORT_COMMUNICATION[:1],
        evaluation=SHORT_EVALUATION[:1],
    ),
)

PROGRAMMES = {
    WORK_ABILITY_PROGRAMME: (
        "Kansallinen ohjelma, jossa kehitetään osatyökykyisten työkyvyn tuen palveluja "
        "alueiden hankkeissa.",
        24,
        48,
    ),
    ESF_PROGRAMME: (
        "Euroopan sosiaalirahasto plus: työllisyyttä, osaamista ja osallisuutta edistävät "
        "hankkeet.",
        36,
        84,
    ),
}


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@transaction.atomic
def seed_demo_projects() -> DemoProjectsResult:
    """Create (or leave as they are) the demo's programmes and funded projects. Call after
    the demo's organisations, professionals and clients."""
    return _DemoProjects().seed()


class _DemoProjects:
    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.month = self.today.replace(day=1)
        self.organisations = {o.name: o for o in Organisation.objects.all()}
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in={username for p in DEMO_PROJECTS for username, _kind, _org in p.staff}
                | {"hankepaallikko", "paakayttaja"}
            )
        }
        self.result = DemoProjectsResult()

    def seed(self) -> DemoProjectsResult:
        programmes = {name: self.programme(name) for name in PROGRAMMES}
        self.result.logins.append(self.coordinator(programmes[WORK_ABILITY_PROGRAMME]))
        for spec in DEMO_PROJECTS:
            programme = programmes[spec.programme]
            if Project.objects.filter(programme=programme, name=spec.name).exists():
                continue
            self.project(programme, spec)
            self.result.projects_created += 1
        return self.result

    def programme(self, name: str) -> FundingProgramme:
        description, months_ago, months = PROGRAMMES[name]
        starts_on = add_months(self.month, -months_ago)
        programme, _created = FundingProgramme.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "starts_on": starts_on,
                "ends_on": add_months(starts_on, months) - timedelta(days=1),
            },
        )
        return programme

    def coordinator(self, programme: FundingProgramme) -> DemoLogin:
        """The programme's regional coordinator: reads every project's figures, never a
        participant."""
        organisation = self.organisations[HEALTH_SERVICES]
        user = User.objects.filter(username=COORDINATOR).first()
        if user is None:
            user = User.objects.create_user(
                username=COORDINATOR,
                password=DEMO_PASSWORD,
                first_name="Hanna",
                last_name="Kuusela",
                email=f"{COORDINATOR}@demo.polku.invalid",
            )
        Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            role=Role.PROJECT_MANAGER,
            defaults={
                "unit": Unit.objects.get(organisation=organisation, name="Työkykykoordinaatio")
            },
        )
        ProjectRole.objects.get_or_create(
            user=user,
            organisation=organisation,
            kind=ProjectRoleKind.COORDINATOR,
            programme_key=programme.public_id,
            defaults={
                "valid_from": programme.starts_on,
                "created_by": self.users["paakayttaja"],
            },
        )
        return DemoLogin(COORDINATOR, str(ProjectRoleKind.COORDINATOR.label), organisation.name)

    def project(self, programme: FundingProgramme, spec: DemoProject) -> Project:
        starts_on = add_months(self.month, -spec.months_ago)
        ends_on = add_months(starts_on, spec.months) - timedelta(days=1)
        manager = next(self.users[u] for u, kind, _o in spec.staff if kind == "manager")
        project = Project.objects.create(
            programme=programme,
            name=spec.name,
            code=spec.code,
            funder=spec.funder,
            instrument=spec.instrument,
            starts_on=starts_on,
            ends_on=ends_on,
            description=spec.description,
            organisation=self.organisations[spec.organisation],
            created_by=manager,
        )
        project.partners.set([self.organisations[name] for name in spec.partners])
        project.municipalities.set(Municipality.objects.filter(code__in=spec.municipalities))
        years = range(starts_on.year, ends_on.year + 1)
        share = (spec.budget / len(years)).quantize(Decimal("0.01"))
        BudgetYear.objects.bulk_create(
            BudgetYear(project=project, year=year, amount=share) for year in years
        )
        ProjectRole.objects.bulk_create(
            ProjectRole(
                user=self.users[username],
                organisation=self.organisations[organisation],
                kind=kind,
                project_key=project.public_id,
                valid_from=starts_on,
                created_by=manager,
            )
            for username, kind, organisation in spec.staff
        )
        self.participants(project, spec)
        self.goals(project, spec.goals, manager)
        CommunicationItem.objects.bulk_create(
            CommunicationItem(
                project=project,
                position=position,
                goal=goal,
                target_groups=groups,
                channels=channels,
                timing=timing,
                responsible=responsible,
                status=status,
            )
            for position, (goal, groups, channels, timing, responsible, status) in enumerate(
                spec.communication, start=1
            )
        )
        EvaluationQuestion.objects.bulk_create(
            EvaluationQuestion(
                project=project,
                position=position,
                question=question,
                data=data,
                source=source,
                method=method,
                timing=timing,
                status=status,
            )
            for position, (question, data, source, method, timing, status) in enumerate(
                spec.evaluation, start=1
            )
        )
        return project

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def participants(self, project: Project, spec: DemoProject) -> None:
        people = {person.last_name: person for person in DEMO_CLIENTS}
        for entry in spec.participants:
            person = people[entry.last_name]
            client = Client.objects.filter(
                first_names=person.first_names,
                last_name=person.last_name,
                birth_date=person.birth_date,
                merged_into__isnull=True,
            ).first()
            if client is None:  # renamed since the demo was loaded
                continue
            entered_on = max(project.starts_on, self.days_ago(entry.entered_days_ago))
            left_on = None if entry.left_days_ago is None else self.days_ago(entry.left_days_ago)
            participant = Participant(
                project=project,
                client=client,
                organisation=self.organisations[entry.organisation],
                entered_on=entered_on,
                left_on=left_on,
                gender=client.gender,
                age_at_entry=age_on(client.birth_date, entered_on),
                municipality_id=client.municipality_id,
                labour_status=entry.labour_status,
                education_level=entry.education,
                enrolled_by=self.users[entry.enrolled_by],
            )
            if left_on is not None and entry.exit is not None:
                participant.exit_observed_on = min(
                    self.today, left_on + timedelta(days=entry.exit_after_days or 0)
                )
                (
                    participant.exit_job_searching,
                    participant.exit_in_education,
                    participant.exit_qualification,
                    participant.exit_employed,
                ) = entry.exit
            if left_on is not None and entry.follow_up is not None:
                participant.follow_up_observed_on = min(
                    self.today, add_months(left_on, 6) + timedelta(days=3)
                )
                participant.follow_up_employed, participant.follow_up_improved = entry.follow_up
            participant.save()
            Participant.objects.filter(pk=participant.pk).update(
                enrolled_at=timezone.make_aware(datetime.combine(entered_on, time(10)))
            )
            if entry.sensitive is not None:
                disability, third_country, foreign, minority, homeless = entry.sensitive
                SensitiveDetails.objects.create(
                    participant=participant,
                    disability=disability,
                    third_country_national=third_country,
                    foreign_background=foreign,
                    minority=minority,
                    homeless=homeless,
                    recorded_by=participant.enrolled_by,
                )
            self.result.participants_created += 1

    def goals(self, project: Project, goals: tuple[DemoGoal, ...], manager: User) -> None:
        """The goal → action → result table, each changed status with its history row,
        dated between the project's start and today."""
        span = max(1, (self.today - project.starts_on).days)
        changes: list[tuple[ProgressChange, date]] = []
        for goal_number, spec in enumerate(goals, start=1):
            goal = Goal.objects.create(project=project, number=goal_number, text=spec.text)
            for action_number, action_spec in enumerate(spec.actions, start=1):
                action = GoalAction.objects.create(
                    goal=goal,
                    number=action_number,
                    text=action_spec.text,
                    responsible=action_spec.responsible,
                    status=action_spec.status,
                )
                steps = self.steps(action_spec.history, action_spec.status)
                for step, (before, after) in enumerate(steps, start=1):
                    day = project.starts_on + timedelta(days=span * step // (len(steps) + 1))
                    changes.append(
                        (
                            ProgressChange(
                                project=project,
                                action=action,
                                changes={"status": {"old": before, "new": after}},
                                changed_by=manager,
                            ),
                            day,
                        )
                    )
                for result_number, result_spec in enumerate(action_spec.results, start=1):
                    result = self.result_metric(action, result_number, result_spec, manager)
                    steps = self.steps(result_spec.history, result_spec.status)
                    for step, (before, after) in enumerate(steps, start=1):
                        day = project.starts_on + timedelta(
                            days=span * step // (len(steps) + 1) + result_number
                        )
                        change: dict[str, dict[str, str | None]] = {
                            "status": {"old": before, "new": after}
                        }
                        if step == len(steps) and result.achieved_value is not None:
                            change["achieved_value"] = {
                                "old": None,
                                "new": str(result.achieved_value),
                            }
                        changes.append(
                            (
                                ProgressChange(
                                    project=project,
                                    result=result,
                                    changes=change,
                                    note=("Käsitelty ohjausryhmässä." if after == DONE else ""),
                                    changed_by=manager,
                                ),
                                day,
                            )
                        )
        created = ProgressChange.objects.bulk_create([change for change, _day in changes])
        for saved, (_unsaved, day) in zip(created, changes, strict=True):
            at = timezone.make_aware(datetime.combine(min(day, self.today), time(12)))
            ProgressChange.objects.filter(pk=saved.pk).update(changed_at=at)

    @staticmethod
    def steps(history: tuple[ProgressStatus, ...], status: ProgressStatus) -> list[tuple[str, str]]:
        path = [NOT_STARTED, *history, status] if status != NOT_STARTED else [NOT_STARTED]
        return [(str(a), str(b)) for a, b in pairwise(path)]

    def result_metric(
        self, action: GoalAction, number: int, spec: Result, manager: User
    ) -> ResultMetric:
        result = ResultMetric(
            action=action,
            number=number,
            text=spec.text,
            responsible=action.responsible,
            status=spec.status,
            target_value=Decimal(spec.target) if spec.target else None,
            target_unit=spec.unit,
            achieved_value=Decimal(spec.achieved) if spec.achieved else None,
            updated_by=manager if spec.status != NOT_STARTED else None,
        )
        if spec.live_figure:
            result.evidence_kind = EvidenceKind.LIVE_FIGURE
            result.live_figure = spec.live_figure
        elif spec.link:
            result.evidence_kind = EvidenceKind.LINK
            result.evidence_link = spec.link
        elif spec.document:
            result.evidence_kind = EvidenceKind.DOCUMENT
            result.evidence_name = spec.document
            result.evidence_content_type = "text/plain"
            result.evidence_document = (
                f"{action.goal.project.name}\n\n{spec.text}.\n\n"
                "Selvityksen yhteenveto: palvelut, niiden järjestäjät ja asiakkaiden "
                "ohjautuminen on koottu kehittäjätiimin työpajoissa.\n"
            ).encode()
        result.save()
        return result
