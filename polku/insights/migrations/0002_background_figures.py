"""Background figures of municipalities and the imports they came with."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):


    dependencies = [
        ('core', '0004_municipality_groups'),
        ('insights', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BackgroundImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('imported_by_name', models.CharField(max_length=300, verbose_name='imported by')),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported at')),
                ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the file')),
                ('kind', models.CharField(choices=[('population', 'Population by year'), ('jobseekers', 'Jobseekers by month')], max_length=20, verbose_name='kind of file')),
                ('rows', models.PositiveIntegerField(verbose_name='rows read')),
                ('added', models.PositiveIntegerField(verbose_name='figures added')),
                ('replaced', models.PositiveIntegerField(verbose_name='figures replaced')),
                ('source', models.CharField(blank=True, default='', max_length=500, verbose_name='source')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
            ],
            options={
                'verbose_name': 'import of background figures',
                'verbose_name_plural': 'imports of background figures',
                'ordering': ['-imported_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='BackgroundFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('population', 'Population at the end of the year'), ('unemployed', 'Unemployed jobseekers at the end of the month'), ('long_term_unemployed', 'Long-term unemployed at the end of the month')], max_length=30, verbose_name='kind')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('month', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='month')),
                ('value', models.PositiveIntegerField(verbose_name='value')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.municipality', verbose_name='municipality')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='insights.backgroundimport', verbose_name='import')),
            ],
            options={
                'verbose_name': 'background figure',
                'verbose_name_plural': 'background figures',
                'ordering': ['kind', '-year', '-month', 'municipality_id'],
                'indexes': [models.Index(fields=['kind', 'year', 'month'], name='background_period')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('month__isnull', False)), fields=('municipality', 'kind', 'year', 'month'), name='one_monthly_background_figure'), models.UniqueConstraint(condition=models.Q(('month__isnull', True)), fields=('municipality', 'kind', 'year'), name='one_yearly_background_figure'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'population'), ('month__isnull', True)), models.Q(models.Q(('kind', 'population'), _negated=True), ('month__gte', 1), ('month__lte', 12)), _connector='OR'), name='background_figure_period_fits_kind'), models.CheckConstraint(condition=models.Q(('year__gte', 1900), ('year__lte', 2999)), name='background_figure_year_in_range')],
            },
        ),
    ]
