# The fixture instrument as an XLSForm workbook (survey, choices, settings).
import csv, openpyxl
wb = openpyxl.Workbook()
survey = wb.active; survey.title = 'survey'
with open('tests/data/report/instrumento.csv', newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        survey.append(row)
choices = wb.create_sheet('choices')
choices.append(['list_name', 'name', 'label::es', 'label::en'])
for name, es, en in [('1', 'Totalmente en desacuerdo', 'Strongly disagree'), ('2', 'En desacuerdo', 'Disagree'),
                     ('3', 'Ni de acuerdo ni en desacuerdo', 'Neither agree nor disagree'), ('4', 'De acuerdo', 'Agree'),
                     ('5', 'Totalmente de acuerdo', 'Strongly agree'), ('NA', 'No aplica', 'Not applicable')]:
    choices.append(['acuerdo5', name, es, en])
for code, es, en in [('capital_social', 'Capital social', 'Social capital'), ('organizacion_red', 'Organización de la red', 'Network organisation')]:
    choices.append(['dimension', code, es, en])
for code, es, en in [('confianza', 'Confianza', 'Trust'), ('compromiso', 'Compromiso con la educación', 'Commitment to education'), ('colaboracion', 'Colaboración entre escuelas', 'Collaboration between schools')]:
    choices.append(['subdimension', code, es, en])
settings = wb.create_sheet('settings')
settings.append(['form_title::es', 'form_title::en', 'form_id', 'version', 'default_language'])
settings.append(['Prueba de informes', 'Report test', 'prueba_informes', '1', 'es'])
wb.save('tests/data/report/instrumento.xlsx')
