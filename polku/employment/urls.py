from django.urls import URLPattern, path

from polku.employment import employer_views

app_name = "employment"
urlpatterns: list[URLPattern] = []

# Employers and the engagement log.
urlpatterns += [
    path("employers/", employer_views.register, name="employers"),
    path("employers/new/", employer_views.create, name="employer_create"),
    path("employers/<int:employer_id>/", employer_views.employer, name="employer"),
    path("employers/<int:employer_id>/edit/", employer_views.edit, name="employer_edit"),
    path("employers/my-contacts/", employer_views.my_contacts, name="my_employer_contacts"),
]
