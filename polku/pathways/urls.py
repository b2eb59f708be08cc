from django.urls import path

from polku.pathways import views

app_name = "pathways"

urlpatterns = [
    path("clients/<uuid:public_id>/pathway/", views.client_pathway, name="client_pathway"),
    path("clients/<uuid:public_id>/episodes/new/", views.open_episode, name="open_episode"),
    path("clients/<uuid:public_id>/referrals/new/", views.referral_create, name="referral_create"),
    path("clients/<uuid:public_id>/journal/new/", views.journal_create, name="journal_create"),
    path("episodes/<uuid:public_id>/", views.episode, name="episode"),
    path("episodes/<uuid:public_id>/team/", views.team, name="team"),
    path("episodes/<uuid:public_id>/end/", views.episode_end, name="episode_end"),
    path("episodes/<uuid:public_id>/reopen/", views.episode_reopen, name="episode_reopen"),
    path("episodes/<uuid:public_id>/plan/", views.plan_edit, name="plan_edit"),
    path("episodes/<uuid:public_id>/plan/review/", views.plan_review, name="plan_review"),
    path("episodes/<uuid:public_id>/plan/print/", views.plan_print, name="plan_print"),
    path(
        "episodes/<uuid:public_id>/actions/done/",
        views.plan_action_done,
        name="plan_action_done",
    ),
    path("handovers/<int:handover_id>/answer/", views.answer_handover, name="answer_handover"),
    path("referrals/<uuid:public_id>/", views.referral, name="referral"),
    path("referrals/<uuid:public_id>/decline/", views.referral_decline, name="referral_decline"),
]
